import { formatEntry } from './format.js';
import { unionLength } from './metric-group.js';
import type { Aggregation } from './types.js';

/**
 * The metrics of one header, in header order: formatted entries with what folding them needs. Kept as
 * parallel arrays so that the common case (everything fits) allocates nothing per metric but its entry.
 */
export class HeaderDraft {
  readonly entries: string[] = [];
  readonly durations: number[] = [];
  /** Wall-clock intervals of the spans behind each entry (for a `union` of folded metrics), if known. */
  readonly intervals: (readonly number[] | undefined)[] = [];

  add(entry: string, duration: number, intervals: readonly number[] | undefined): void {
    this.entries.push(entry);
    this.durations.push(duration);
    this.intervals.push(intervals);
  }
}

export type Budget = {
  maxBytes: number;
  maxMetrics: number;
  aggregation: Aggregation;
  descriptions: boolean;
};

const SEPARATOR = ', ';
/** Room kept for the `other` entry while choosing what to keep: `other;dur=999999.999;desc="9999 more"`. */
const OTHER_RESERVE = 44;

/**
 * Joins the draft into one header value within the budget, followed by the `required` entries (`total`,
 * trace context), which are always written. When the metrics do not all fit, the longest are kept in
 * their order and the rest fold into one `other` metric whose duration combines theirs the way the
 * aggregation does.
 */
export function fitToBudget(draft: HeaderDraft, required: readonly string[], budget: Budget): string {
  const { entries } = draft;
  let header = '';
  for (const entry of entries) header = header === '' ? entry : header + SEPARATOR + entry;
  for (const entry of required) header = header === '' ? entry : header + SEPARATOR + entry;
  if (entries.length <= budget.maxMetrics && header.length <= budget.maxBytes) return header;
  return foldToBudget(draft, required, budget);
}

function foldToBudget(draft: HeaderDraft, required: readonly string[], budget: Budget): string {
  const { entries, durations } = draft;
  let bytes = OTHER_RESERVE;
  for (const entry of required) bytes += entry.length + SEPARATOR.length;
  const longestFirst = entries.map((_, index) => index);
  longestFirst.sort((a, b) => (durations[b] as number) - (durations[a] as number) || a - b);
  const kept = new Array<boolean>(entries.length).fill(false);
  const folded: number[] = [];
  let keptCount = 0;
  for (const index of longestFirst) {
    const cost = (entries[index] as string).length + SEPARATOR.length;
    if (keptCount < budget.maxMetrics && bytes + cost <= budget.maxBytes) {
      kept[index] = true;
      keptCount++;
      bytes += cost;
    } else {
      folded.push(index);
    }
  }
  const written = entries.filter((_, index) => kept[index]);
  written.push(otherEntry(draft, folded, budget), ...required);
  return written.join(SEPARATOR);
}

/** The `other` entry standing for the folded metrics. */
function otherEntry(draft: HeaderDraft, folded: readonly number[], budget: Budget): string {
  let duration = 0;
  if (budget.aggregation === 'max') {
    for (const index of folded) duration = Math.max(duration, draft.durations[index] as number);
  } else if (budget.aggregation === 'union') {
    const intervals: number[] = [];
    for (const index of folded) {
      const own = draft.intervals[index];
      if (own === undefined) duration += draft.durations[index] as number;
      else for (const bound of own) intervals.push(bound);
    }
    duration += unionLength(intervals);
  } else {
    for (const index of folded) duration += draft.durations[index] as number;
  }
  return formatEntry('other', duration, `${folded.length} more`, budget.descriptions);
}
