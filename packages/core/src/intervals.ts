/**
 * Interval maths for the `union` aggregation. Intervals are flat arrays of milliseconds,
 * `[start0, end0, start1, end1, …]`, as the metric groups keep them.
 */

/** Sorts flat intervals by start and merges the ones that overlap or touch. */
export function mergeIntervals(intervals: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < intervals.length; i += 2) order.push(i);
  order.sort((a, b) => (intervals[a] as number) - (intervals[b] as number));
  const merged: number[] = [];
  for (const i of order) {
    const start = intervals[i] as number;
    const end = intervals[i + 1] as number;
    const last = merged.length - 1;
    if (last > 0 && start <= (merged[last] as number)) {
      if (end > (merged[last] as number)) merged[last] = end;
    } else {
      merged.push(start, end);
    }
  }
  return merged;
}

/** Total length covered by flat intervals, overlaps counted once. */
export function unionLength(intervals: readonly number[]): number {
  const merged = mergeIntervals(intervals);
  let length = 0;
  for (let i = 0; i < merged.length; i += 2) length += (merged[i + 1] as number) - (merged[i] as number);
  return length;
}
