import { type MetricGroup, mergeIntervals, unionLength } from './metric-group.js';

/**
 * Makes each layer group's `union` duration its own (self) time: the time its spans ran, less the time of
 * the other metrics' spans that ran inside them (nested layers, queries, calls) and of this library's own
 * work. Koa's middleware spans contain everything downstream; without this, `middleware` would repeat
 * `total`. A span counts as inside when its whole interval lies within one stretch of the layer's time.
 */
export function applySelfTime(groups: readonly MetricGroup[], ownWork: readonly number[] | undefined): void {
  for (let index = 0; index < groups.length; index++) {
    const layer = groups[index] as MetricGroup;
    if (layer.role !== 'layer') continue;
    const stretches = mergeIntervals(layer.intervals());
    const inside: number[] = [];
    for (let other = 0; other < groups.length; other++) {
      if (other !== index) collectInside((groups[other] as MetricGroup).intervals(), stretches, inside);
    }
    if (ownWork !== undefined) collectInside(ownWork, stretches, inside);
    layer.exclude(inside.length === 0 ? 0 : unionLength(inside));
  }
}

/** Appends to `inside` each flat interval of `intervals` that lies within one of the merged `stretches`. */
function collectInside(intervals: readonly number[], stretches: readonly number[], inside: number[]): void {
  for (let i = 0; i < intervals.length; i += 2) {
    const start = intervals[i] as number;
    const end = intervals[i + 1] as number;
    for (let s = 0; s < stretches.length; s += 2) {
      if (start >= (stretches[s] as number) && end <= (stretches[s + 1] as number)) {
        inside.push(start, end);
        break;
      }
    }
  }
}
