import { mergeIntervals, unionLength } from './intervals.js';
import type { SpanRole } from './span-class.js';
import type { Aggregation } from './types.js';

/** Intervals kept before overlapping ones are merged, so a request with many spans stays small. */
const COMPACT_AT = 256;

/**
 * The finished spans of one request that share a metric name. Keeps only what its aggregation needs:
 * count, sum and max always, and the `[start, end]` intervals (ms) for the wall-clock union.
 */
export class MetricGroup {
  readonly name: string;
  /** The role of the spans that map to this name (see {@link SpanRole}); `layer` groups can report self time. */
  readonly role: SpanRole;
  /** Span name of the first member; `undefined` once members with other names joined. */
  commonDescription: string | undefined;
  count = 0;
  /** The group that appeared after this one in its request, while the request record keeps them. */
  next: MetricGroup | undefined;
  // Numbers a group of one span needs are two fields; sum, max, an earlier start and the intervals exist
  // from the second member on. Each number field of an object is a heap box of its own in V8, and most
  // groups have one span.
  /** Interval of the first member, in ms: its start and its duration. */
  #firstMemberStart = Number.POSITIVE_INFINITY;
  #firstMemberDuration = 0;
  /** From the second member on: sum and max of the durations, and the earliest start if not the first's. */
  #sum: number | undefined;
  #max: number | undefined;
  #earliestStart: number | undefined;
  /**
   * Flat `[start0, end0, start1, end1, …]`, only for the `union` aggregation and only from the second
   * member on: most groups have one span, whose interval the fields above hold.
   */
  #intervals: number[] | undefined;
  #compactAt = COMPACT_AT * 2;
  /**
   * For a layer group reporting its own time: the time (ms) that metrics beneath its spans account for.
   * Its own time, which replaces the `union` duration, is `sum` less this. `undefined` otherwise.
   */
  #leftOut: number | undefined;

  constructor(name: string, description: string | undefined, role: SpanRole, selfTime: boolean) {
    this.name = name;
    this.commonDescription = description;
    this.role = role;
    if (selfTime && role === 'layer') this.#leftOut = 0;
  }

  /** Start of the earliest member, in ms: orders metrics in the header. */
  get firstStart(): number {
    return this.#earliestStart ?? this.#firstMemberStart;
  }

  /** The members' durations (ms) added up. */
  get sum(): number {
    return this.#sum ?? (this.count === 0 ? 0 : this.#firstMemberDuration);
  }

  /** The longest member's duration (ms). */
  get max(): number {
    return this.#max ?? (this.count === 0 ? 0 : this.#firstMemberDuration);
  }

  /**
   * Leaves `milliseconds` out of a layer group's own time: the time that metrics beneath one of its spans
   * already account for.
   */
  leaveOut(milliseconds: number): void {
    if (this.#leftOut !== undefined) this.#leftOut += milliseconds;
  }

  add(start: number, end: number, description: string | undefined, aggregation: Aggregation): void {
    const duration = end > start ? end - start : 0;
    if (this.count++ === 0) {
      this.#firstMemberStart = start;
      this.#firstMemberDuration = duration;
      return;
    }
    const sum = this.sum;
    const max = this.max;
    const firstStart = this.firstStart;
    this.#sum = sum + duration;
    this.#max = Math.max(duration, max);
    if (description !== this.commonDescription) this.commonDescription = undefined;
    if (start < firstStart) this.#earliestStart = start;
    if (aggregation !== 'union') return;
    let intervals = this.#intervals;
    if (intervals === undefined) {
      intervals = [this.#firstMemberStart, this.#firstMemberStart + this.#firstMemberDuration];
      this.#intervals = intervals;
    }
    intervals.push(start, start + duration);
    if (intervals.length >= this.#compactAt) {
      this.#intervals = mergeIntervals(intervals);
      this.#compactAt = Math.max(COMPACT_AT * 2, this.#intervals.length * 2);
    }
  }

  /** The members' `[start, end]` intervals (ms), flat, for folding this group into `other`. */
  intervals(): readonly number[] {
    return this.#intervals ?? [this.#firstMemberStart, this.#firstMemberStart + this.#firstMemberDuration];
  }

  /** The group's duration under `aggregation` (ms; for `count`, the number of spans). */
  duration(aggregation: Aggregation): number {
    switch (aggregation) {
      case 'union':
        if (this.#leftOut !== undefined) return Math.max(this.sum - this.#leftOut, 0);
        return this.#intervals === undefined ? this.sum : unionLength(this.#intervals);
      case 'sum':
        return this.sum;
      case 'max':
        return this.max;
      case 'count':
        return this.count;
    }
  }

  /**
   * `"SELECT users"` for one span, `"3x SELECT users"` for three of the same name, `"3 spans"` otherwise.
   * A layer group of several spans has none: its spans nest or describe one step twice (Express 5 under
   * both instrumentation-express and instrumentation-router), so their number counts nothing.
   */
  description(): string | undefined {
    if (this.count === 1) return this.commonDescription;
    if (this.role === 'layer') return undefined;
    if (this.commonDescription !== undefined && this.commonDescription !== '') {
      return `${this.count}x ${this.commonDescription}`;
    }
    return `${this.count} spans`;
  }
}

/** No metric groups: a header of a request the processor holds no record for. */
export const NO_GROUPS: readonly MetricGroup[] = [];
