import { formatMetric } from './format.js';
import { unionLength } from './metric-group.js';
import type { Aggregation } from './types.js';

/** A metric that may be written or folded into `other`. */
export type BudgetCandidate = {
  /** The formatted entry, e.g. `pg;dur=12;desc="3x SELECT"`. */
  entry: string;
  duration: number;
  /** Position in the header when kept. */
  order: number;
  /** Wall-clock intervals of the spans behind it, for a `union` of folded metrics. */
  intervals: readonly number[] | undefined;
};

export type Budget = {
  maxBytes: number;
  maxMetrics: number;
  aggregation: Aggregation;
  descriptions: boolean;
};

const SEPARATOR_BYTES = 2; // ", "
/** Room kept for the `other` entry while choosing what to keep: `other;dur=999999.999;desc="9999 more"`. */
const OTHER_RESERVE = 44;

/**
 * Joins the entries into one header value within the budget. `required` entries (trace context, `total`)
 * are always written. Candidates are written in their `order` while they fit; when they do not all fit,
 * the longest are kept and the rest fold into one `other` metric whose duration combines theirs the way
 * the aggregation does.
 */
export function fitToBudget(
  required: readonly string[],
  candidates: BudgetCandidate[],
  budget: Budget,
): string {
  let requiredBytes = 0;
  for (const entry of required) requiredBytes += entry.length + SEPARATOR_BYTES;
  let allBytes = requiredBytes;
  for (const candidate of candidates) allBytes += candidate.entry.length + SEPARATOR_BYTES;
  if (candidates.length <= budget.maxMetrics && allBytes - SEPARATOR_BYTES <= budget.maxBytes) {
    return join(candidates.sort(byOrder), undefined, required);
  }

  const longestFirst = [...candidates].sort((a, b) => b.duration - a.duration || a.order - b.order);
  const kept: BudgetCandidate[] = [];
  const folded: BudgetCandidate[] = [];
  let bytes = requiredBytes + OTHER_RESERVE;
  for (const candidate of longestFirst) {
    const cost = candidate.entry.length + SEPARATOR_BYTES;
    if (kept.length < budget.maxMetrics && bytes + cost <= budget.maxBytes) {
      kept.push(candidate);
      bytes += cost;
    } else {
      folded.push(candidate);
    }
  }
  return join(kept.sort(byOrder), otherEntry(folded, budget), required);
}

function byOrder(a: BudgetCandidate, b: BudgetCandidate): number {
  return a.order - b.order;
}

function join(
  kept: readonly BudgetCandidate[],
  other: string | undefined,
  required: readonly string[],
): string {
  const entries = kept.map((candidate) => candidate.entry);
  if (other !== undefined) entries.push(other);
  entries.push(...required);
  return entries.join(', ');
}

/** The `other` entry standing for the folded metrics. */
function otherEntry(folded: readonly BudgetCandidate[], budget: Budget): string | undefined {
  if (folded.length === 0) return undefined;
  let duration = 0;
  if (budget.aggregation === 'max') {
    for (const candidate of folded) duration = Math.max(duration, candidate.duration);
  } else if (budget.aggregation === 'union') {
    const intervals: number[] = [];
    for (const candidate of folded) {
      if (candidate.intervals === undefined) duration += candidate.duration;
      else for (const bound of candidate.intervals) intervals.push(bound);
    }
    duration += unionLength(intervals);
  } else {
    for (const candidate of folded) duration += candidate.duration;
  }
  return formatMetric({ name: 'other', duration, description: `${folded.length} more` }, budget.descriptions);
}
