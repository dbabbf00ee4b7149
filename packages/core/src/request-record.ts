import type { Span } from '@opentelemetry/api';
import { MetricGroup } from './metric-group.js';
import type { SpanRole } from './span-class.js';
import type { Aggregation } from './types.js';

/** Distinct metrics of one request beyond which its groups are also indexed by name. */
const INDEX_AT = 16;
const NO_GROUPS: readonly MetricGroup[] = [];

/**
 * What the processor knows of a span of a request when its children start:
 * - `open`: nothing yet (the request's root, and spans no child has started under);
 * - `operation`: a call out of the process (see `SpanRole`): spans started beneath it are part of it;
 * - `container`: anything else: its children are mapped on their own;
 * - `absorbed`: beneath an operation: adds no metric, and neither do its own children.
 */
export type SpanState = 'open' | 'operation' | 'container' | 'absorbed';

/** What a span is linked to: its request's record, and its {@link SpanState}. */
export type SpanLink = { readonly record: RequestRecord; readonly state: SpanState };

/**
 * What the processor knows about one request: its root span, when it started, and the finished spans
 * beneath it grouped by metric name. Reached only through a `WeakMap` keyed by the request's spans, so
 * it lives exactly as long as one of them does.
 */
export class RequestRecord implements SpanLink {
  readonly root: Span;
  /** A record is its spans' link while nothing more is known of them (state `open`). */
  readonly record = this;
  readonly state = 'open';
  readonly startedAt: number;
  endedAt: number | undefined;
  /** Set by {@link close}: spans that finish later are not recorded. */
  closed = false;
  /**
   * Groups finished since the last {@link takeGroups}, in the order they appeared; created on the first
   * finished child. A list searched by name: a request has few distinct metrics, and a list costs less to
   * make than a `Map`. Past {@link INDEX_AT} groups a `Map` indexes it.
   */
  #groups: MetricGroup[] | undefined;
  #index: Map<string, MetricGroup> | undefined;
  /** Flat `[start, end, …]` (ms) of the spans this library's adapters marked as their own work. */
  #ownWork: number[] | undefined;
  /** The links of the other states, made when first needed. */
  #links: Partial<Record<Exclude<SpanState, 'open'>, SpanLink>> | undefined;

  constructor(root: Span, startedAt: number) {
    this.root = root;
    this.startedAt = startedAt;
  }

  /** The link (shared by the request's spans) for a span in `state`. */
  link(state: SpanState): SpanLink {
    if (state === 'open') return this;
    this.#links ??= {};
    const links = this.#links;
    let link = links[state];
    if (link === undefined) {
      link = Object.freeze({ record: this, state });
      links[state] = link;
    }
    return link;
  }

  add(
    name: string,
    description: string | undefined,
    start: number,
    end: number,
    aggregation: Aggregation,
    role: SpanRole,
  ): void {
    let groups = this.#groups;
    if (groups === undefined) {
      groups = [];
      this.#groups = groups;
    }
    let group = this.#find(groups, name);
    if (group === undefined) {
      group = new MetricGroup(name, description, role);
      groups.push(group);
      if (this.#index !== undefined) this.#index.set(name, group);
      else if (groups.length === INDEX_AT) this.#index = new Map(groups.map((each) => [each.name, each]));
    }
    group.add(start, end, description, aggregation);
  }

  /** Records the interval of a span that times this library's own work: no metric, not a layer's time. */
  addOwnWork(start: number, end: number): void {
    this.#ownWork ??= [];
    this.#ownWork.push(start, end);
  }

  /** The intervals {@link addOwnWork} recorded (flat, ms), or `undefined`. */
  ownWork(): readonly number[] | undefined {
    return this.#ownWork;
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
    this.#groups = undefined;
    this.#index = undefined;
    this.#ownWork = undefined;
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
