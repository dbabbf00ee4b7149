import type { Span } from '@opentelemetry/api';
import { MetricGroup } from './metric-group.js';
import type { Aggregation } from './types.js';

/**
 * What the processor knows about one request: its root span, when it started, and the finished spans
 * beneath it grouped by metric name. Reached only through a `WeakMap` keyed by the request's spans, so
 * it lives exactly as long as one of them does.
 */
export class RequestRecord {
  readonly root: Span;
  readonly startedAt: number;
  endedAt: number | undefined;
  /** Groups finished since the last {@link takeGroups}; created on the first finished child. */
  #groups: Map<string, MetricGroup> | undefined;

  constructor(root: Span, startedAt: number) {
    this.root = root;
    this.startedAt = startedAt;
  }

  add(
    name: string,
    description: string | undefined,
    start: number,
    end: number,
    aggregation: Aggregation,
  ): void {
    this.#groups ??= new Map();
    let group = this.#groups.get(name);
    if (group === undefined) {
      group = new MetricGroup(name, description, aggregation);
      this.#groups.set(name, group);
    }
    group.add(start, end, description);
  }

  /**
   * The groups finished since the previous call (all so far, the first time), ordered by their first
   * span's start, leaving none behind.
   */
  takeGroups(): MetricGroup[] {
    const groups = this.#groups;
    if (groups === undefined) return [];
    this.#groups = undefined;
    const ordered = [...groups.values()];
    if (!isOrderedByStart(ordered)) ordered.sort((a, b) => a.firstStart - b.firstStart);
    return ordered;
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
