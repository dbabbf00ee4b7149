import type { MetricGroup } from './metric-group.js';
import type { RequestRecord } from './request-record.js';
import type { SpanClass } from './span-class.js';

/**
 * What the processor knows of a span of a request, learnt when its first child starts:
 * - `open`: nothing yet (the request's root, and spans no child has started under);
 * - `operation`: a call out of the process (see `SpanRole`): spans started beneath it are part of it;
 * - `layer`: a framework layer: it keeps the time of the metrics beneath it, to report its own time;
 * - `container`: anything else: its children are mapped on their own;
 * - `absorbed`: beneath an operation: adds no metric, and neither do its own children.
 */
export type SpanState = 'open' | 'operation' | 'layer' | 'container' | 'absorbed';

/**
 * What a span is linked to: its request's record, its {@link SpanState}, and the nearest framework layer
 * above it (the spans between are neither metrics nor layers), which its time is reported to. Links are
 * shared by the spans of a request in the same situation: a request makes a few, not one per span.
 */
export class SpanLink {
  readonly record: RequestRecord;
  readonly state: SpanState;
  /** The nearest layer above the span, whose own time leaves out this span's time if it is a metric. */
  readonly layer: LayerTime | undefined;
  /** For a span in state `layer`: its own {@link LayerTime}. */
  readonly self: LayerTime | undefined;

  constructor(record: RequestRecord, state: SpanState, layer: LayerTime | undefined, self?: LayerTime) {
    this.record = record;
    this.state = state;
    this.layer = layer;
    this.self = self;
  }
}

/**
 * The links of the spans whose nearest layer is the same (a given layer, or none), made when first
 * needed. A base class of the request record (spans with no layer above them) and of each layer, rather
 * than an object of its own beside them: one allocation fewer per request and per layer.
 */
export abstract class LinkSet {
  /** The link of such spans before a child starts under them. */
  abstract readonly open: SpanLink;
  #operation: SpanLink | undefined;
  #container: SpanLink | undefined;

  get operation(): SpanLink {
    this.#operation ??= new SpanLink(this.open.record, 'operation', this.open.layer);
    return this.#operation;
  }

  get container(): SpanLink {
    this.#container ??= new SpanLink(this.open.record, 'container', this.open.layer);
    return this.#container;
  }
}

/**
 * One framework layer span that has children (and the links of the spans beneath it), with the time (ms)
 * of the metric spans and of this library's own work that ran beneath it, so that its own time can leave
 * them out.
 *
 * Durations are added up rather than intervals merged: the SDK gives a span's start in whole
 * milliseconds (`Date.now()`) but its duration to the nanosecond, so the intervals of a layer and of the
 * spans beneath it are only aligned to within a millisecond, while their durations are exact. Children
 * run one after another in a request handler's usual course; parallel ones make the layer's own time
 * smaller, never a time counted twice.
 */
export class LayerTime extends LinkSet {
  /** Milliseconds the metric spans beneath the layer took, added up. */
  covered = 0;
  /** The link of the spans beneath this layer, before a child starts under them. */
  readonly open: SpanLink;
  /** The layer span's own link. */
  readonly link: SpanLink;
  /** The layer span's duration (ms), once it ended. */
  duration = 0;
  /**
   * The group the layer span went into when it ended, until its own time is settled (or its request
   * closed); `undefined` while it runs or if it made none.
   */
  group: MetricGroup | undefined;
  /** The layer span ended (with or without a group). */
  ended = false;
  /** The layer span's class, from when its first child started. */
  readonly spanClass: SpanClass;

  constructor(record: RequestRecord, parent: LayerTime | undefined, spanClass: SpanClass) {
    super();
    this.open = new SpanLink(record, 'open', this);
    this.link = new SpanLink(record, 'layer', parent, this);
    this.spanClass = spanClass;
  }

  /** Milliseconds of the layer span's time that the spans beneath it account for. */
  coveredTime(): number {
    return Math.min(this.covered, this.duration);
  }
}
