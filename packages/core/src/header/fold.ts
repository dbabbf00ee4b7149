import { unionLength } from '../intervals.js';
import type { Aggregation } from '../types.js';
import { formatEntry } from './format.js';

/**
 * The metric entries of one header that is over its budget, in header order, with what folding them
 * needs: each entry's duration and, where known, the wall-clock intervals of the spans behind it.
 */
export type OverBudget = {
  entries: readonly string[];
  durations: readonly number[];
  /** The intervals of entry `index` for a `union` of folded entries; `undefined` to add its duration. */
  intervalsOf: (index: number) => readonly number[] | undefined;
  /** `total` and trace context, written last whatever the budget; `''` for none. */
  required: string;
  aggregation: Aggregation;
  descriptions: boolean;
  maxBytes: number;
  maxMetrics: number;
};

const SEPARATOR = ', ';
/** Room kept for the `other` entry while choosing what to keep: `other;dur=999999.999;desc="9999 more"`. */
const OTHER_RESERVE = 44;

/**
 * Keeps the longest entries, in their order, within the budget and folds the rest into one `other`
 * metric whose duration combines theirs the way the aggregation does; the required entries follow.
 */
export function foldToBudget(header: OverBudget): string {
  const { entries, durations, required } = header;
  let bytes = OTHER_RESERVE;
  if (required !== '') bytes += required.length + SEPARATOR.length;
  const longestFirst = entries.map((_, index) => index);
  longestFirst.sort((a, b) => (durations[b] as number) - (durations[a] as number) || a - b);
  const kept = new Array<boolean>(entries.length).fill(false);
  const folded: number[] = [];
  let keptCount = 0;
  for (const index of longestFirst) {
    const cost = (entries[index] as string).length + SEPARATOR.length;
    if (keptCount < header.maxMetrics && bytes + cost <= header.maxBytes) {
      kept[index] = true;
      keptCount++;
      bytes += cost;
    } else {
      folded.push(index);
    }
  }
  const written = entries.filter((_, index) => kept[index]);
  written.push(otherEntry(header, folded));
  if (required !== '') written.push(required);
  return written.join(SEPARATOR);
}

/** The `other` entry standing for the folded entries. */
function otherEntry(header: OverBudget, folded: readonly number[]): string {
  const { durations, aggregation } = header;
  let duration = 0;
  if (aggregation === 'max') {
    for (const index of folded) duration = Math.max(duration, durations[index] as number);
  } else if (aggregation === 'union') {
    const intervals: number[] = [];
    for (const index of folded) {
      const own = header.intervalsOf(index);
      if (own === undefined) duration += durations[index] as number;
      else for (const bound of own) intervals.push(bound);
    }
    duration += unionLength(intervals);
  } else {
    for (const index of folded) duration += durations[index] as number;
  }
  return formatEntry('other', duration, `${folded.length} more`, header.descriptions);
}
