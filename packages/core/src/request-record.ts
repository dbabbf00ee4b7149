import type { Span } from '@opentelemetry/api';
import type { DownstreamMetrics } from './downstream/downstream-metrics.js';
import { MetricGroup } from './metric-group.js';
import type { SpanClass, SpanRole } from './span-class.js';
import { LayerTime, LinkSet, SpanLink } from './span-link.js';
import type { Aggregation } from './types.js';

/** How a processor records: shared by all its request records. */
export type RecordSettings = {
  readonly aggregation: Aggregation;
  /** Layer groups report their own time (see `LayerTime`). */
  readonly selfTime: boolean;
};

/** Distinct metrics of one request beyond which its groups are also indexed by name. */
const INDEX_AT = 16;
const NO_GROUPS: readonly MetricGroup[] = [];

/**
 * What the processor knows about one request (and the links of its spans with no layer above them): its root span, when it started, and the finished spans
 * beneath it grouped by metric name. Reached only through the request's spans (see `RecordLink`: a property on each span), so
 * it lives exactly as long as one of them does.
 */
export class RequestRecord extends LinkSet {
  readonly root: Span;
  /** The link of the spans that have no framework layer above them (the root's among them). */
  readonly open: SpanLink;
  readonly startedAt: number;
  readonly #settings: RecordSettings;
  endedAt: number | undefined;
  /** Set by {@link close}: spans that finish later are not recorded. */
  closed = false;
  /**
   * Set once the request's header (its `total` and trace context) was handed out: however many writers
   * see the response, later headers add only what is new, so the response carries one `total` and one
   * trace context.
   */
  headerHandedOut = false;
  /** What the request's calls to opted-in downstream services answered in their `Server-Timing`. */
  downstream: DownstreamMetrics | undefined;
  /**
   * Groups finished since the last {@link takeGroups}, in the order they appeared; created on the first
   * finished child. A list searched by name: a request has few distinct metrics, and a list costs less to
   * make than a `Map`. Past {@link INDEX_AT} groups a `Map` indexes it.
   */
  #groups: MetricGroup[] | undefined;
  #index: Map<string, MetricGroup> | undefined;
  /** The layer spans with children, whose own time is settled when a header is built. */
  #layers: LayerTime[] | undefined;
  #absorbed: SpanLink | undefined;

  constructor(root: Span, startedAt: number, settings: RecordSettings) {
    super();
    this.root = root;
    this.startedAt = startedAt;
    this.#settings = settings;
    this.open = new SpanLink(this, 'open', undefined);
  }

  /** The link of the spans beneath an operation. */
  get absorbed(): SpanLink {
    this.#absorbed ??= new SpanLink(this, 'absorbed', undefined);
    return this.#absorbed;
  }

  /** A new framework layer (a layer span of class `spanClass` that has children) beneath `parent`. */
  newLayer(parent: LayerTime | undefined, spanClass: SpanClass): LayerTime {
    const layer = new LayerTime(this, parent, spanClass);
    this.#layers ??= [];
    this.#layers.push(layer);
    return layer;
  }

  /**
   * Makes each finished layer span's group report its own time: the layer's time less the time of the
   * metrics beneath it (see {@link LayerTime}). Layers still running wait for a later header; layers that
   * ended without a metric are let go.
   */
  settleLayers(): void {
    const layers = this.#layers;
    if (layers === undefined) return;
    let running = 0;
    for (let index = 0; index < layers.length; index++) {
      const layer = layers[index] as LayerTime;
      if (layer.group !== undefined) layer.group.leaveOut(layer.coveredTime());
      else if (!layer.ended) layers[running++] = layer;
    }
    layers.length = running;
  }

  add(
    name: string,
    description: string | undefined,
    start: number,
    end: number,
    role: SpanRole,
  ): MetricGroup {
    const settings = this.#settings;
    let groups = this.#groups;
    if (groups === undefined) {
      groups = [];
      this.#groups = groups;
    }
    let group = this.#find(groups, name);
    if (group === undefined) {
      group = new MetricGroup(name, description, role, settings.selfTime);
      groups.push(group);
      if (this.#index !== undefined) this.#index.set(name, group);
      else if (groups.length === INDEX_AT) this.#index = new Map(groups.map((each) => [each.name, each]));
    }
    group.add(start, end, description, settings.aggregation);
    return group;
  }

  #find(groups: readonly MetricGroup[], name: string): MetricGroup | undefined {
    if (this.#index !== undefined) return this.#index.get(name);
    for (let index = 0; index < groups.length; index++) {
      const group = groups[index] as MetricGroup;
      if (group.name === name) return group;
    }
    return undefined;
  }

  /**
   * The groups finished since the previous call (all so far, the first time), ordered by their first
   * span's start, leaving none behind.
   */
  takeGroups(): readonly MetricGroup[] {
    const groups = this.#groups;
    if (groups === undefined) return NO_GROUPS;
    this.#groups = undefined;
    this.#index = undefined;
    if (!isOrderedByStart(groups)) groups.sort((a, b) => a.firstStart - b.firstStart);
    return groups;
  }

  /**
   * Records nothing more and lets go of what was not taken: the request's last header or trailer is
   * built, or it gets none.
   */
  close(): void {
    this.closed = true;
    this.downstream = undefined;
    this.#groups = undefined;
    this.#index = undefined;
    this.#layers = undefined;
  }

  /** Milliseconds from the root's start to now, or to its end once it ended. */
  elapsed(now: number): number {
    return (this.endedAt ?? now) - this.startedAt;
  }
}

function isOrderedByStart(groups: readonly MetricGroup[]): boolean {
  for (let i = 1; i < groups.length; i++) {
    if ((groups[i] as MetricGroup).firstStart < (groups[i - 1] as MetricGroup).firstStart) return false;
  }
  return true;
}
