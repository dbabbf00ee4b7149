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
  // Spans are mostly recorded in the order they started: then one pass merges them with nothing
  // allocated, adding the same lengths in the same order as merging sorted intervals does.
  let length = 0;
  let mergedStart = 0;
  let mergedEnd = 0;
  for (let i = 0; i < intervals.length; i += 2) {
    const start = intervals[i] as number;
    const end = intervals[i + 1] as number;
    if (i === 0) {
      mergedStart = start;
      mergedEnd = end;
    } else if (start < (intervals[i - 2] as number)) {
      return lengthOfMerged(mergeIntervals(intervals));
    } else if (start <= mergedEnd) {
      if (end > mergedEnd) mergedEnd = end;
    } else {
      length += mergedEnd - mergedStart;
      mergedStart = start;
      mergedEnd = end;
    }
  }
  return intervals.length === 0 ? 0 : length + (mergedEnd - mergedStart);
}

/** Total length of merged (sorted, disjoint) flat intervals. */
function lengthOfMerged(merged: readonly number[]): number {
  let length = 0;
  for (let i = 0; i < merged.length; i += 2) length += (merged[i + 1] as number) - (merged[i] as number);
  return length;
}
