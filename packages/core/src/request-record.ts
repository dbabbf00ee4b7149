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
 * What the processor knows about one request: its root span, when it started, the finished spans beneath
 * it grouped by metric name, and the links of its spans with no layer above them. Reached only through
 * the request's spans (see `RecordLink`: a property on each span), so it lives exactly as long as one of
 * them does.
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
   * Groups finished since the last {@link takeGroups}, in the order they appeared: the first and the last
   * of a chain through `MetricGroup.next`, searched by name (a request has few distinct metrics). A chain
   * rather than an array, whose first `push` gives it room for 17 (136 bytes, with the spans in an
   * exporter's queue often kept until the next full collection); `takeGroups` makes the array, of the
   * exact length. Past {@link INDEX_AT} groups a `Map` indexes it.
   */
  #firstGroup: MetricGroup | undefined;
  #lastGroup: MetricGroup | undefined;
  #groupCount = 0;
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
    // Made with its first layer, as long as it: an empty array's first `push` makes room for 17.
    if (this.#layers === undefined) this.#layers = [layer];
    else this.#layers.push(layer);
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
      if (layer.group !== undefined) {
        layer.group.leaveOut(layer.coveredTime());
        // The layer's span keeps the layer (its link), maybe in an exporter's queue: not the group too.
        layer.group = undefined;
      } else if (!layer.ended) {
        layers[running++] = layer;
      }
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
    let group = this.#find(name);
    if (group === undefined) {
      group = new MetricGroup(name, description, role, settings.selfTime);
      if (this.#lastGroup === undefined) this.#firstGroup = group;
      else this.#lastGroup.next = group;
      this.#lastGroup = group;
      this.#groupCount++;
      if (this.#index !== undefined) this.#index.set(name, group);
      else if (this.#groupCount === INDEX_AT) this.#index = this.#indexGroups();
    }
    group.add(start, end, description, settings.aggregation);
    return group;
  }

  #find(name: string): MetricGroup | undefined {
    if (this.#index !== undefined) return this.#index.get(name);
    for (let group = this.#firstGroup; group !== undefined; group = group.next) {
      if (group.name === name) return group;
    }
    return undefined;
  }

  #indexGroups(): Map<string, MetricGroup> {
    const index = new Map<string, MetricGroup>();
    for (let group = this.#firstGroup; group !== undefined; group = group.next) index.set(group.name, group);
    return index;
  }

  /**
   * The groups finished since the previous call (all so far, the first time), ordered by their first
   * span's start, leaving none behind.
   */
  takeGroups(): readonly MetricGroup[] {
    if (this.#firstGroup === undefined) return NO_GROUPS;
    const groups = new Array<MetricGroup>(this.#groupCount);
    let group: MetricGroup | undefined = this.#firstGroup;
    for (let index = 0; group !== undefined; index++, group = group.next) groups[index] = group;
    this.#forgetGroups();
    if (!isOrderedByStart(groups)) groups.sort((a, b) => a.firstStart - b.firstStart);
    return groups;
  }

  /** Lets go of the groups, unchained: a group still held elsewhere (by its layer) holds no other. */
  #forgetGroups(): void {
    let group = this.#firstGroup;
    while (group !== undefined) {
      const next: MetricGroup | undefined = group.next;
      group.next = undefined;
      group = next;
    }
    this.#firstGroup = undefined;
    this.#lastGroup = undefined;
    this.#groupCount = 0;
    this.#index = undefined;
  }

  /**
   * Records nothing more and lets go of what was not taken: the request's last header or trailer is
   * built, or it gets none.
   */
  close(): void {
    this.closed = true;
    this.downstream = undefined;
    this.#forgetGroups();
    const layers = this.#layers;
    // Layers stay reachable from their spans' links; the groups they went into need not.
    if (layers !== undefined) for (const layer of layers) layer.group = undefined;
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
