import type { MetricGroup } from '../metric-group.js';
import type { HeaderParts } from './build-header.js';
import { formatEntry } from './format.js';

/**
 * `header` (the request's own metrics, `total` and trace context, already within the budget) followed by
 * as many folded entries as the room left allows: `maxBytes` less the header, `maxMetrics` less the
 * request's own metrics. Each downstream's `total` is chosen first, then the longest metrics; the kept
 * entries keep their order.
 */
export function appendDownstream(
  header: string,
  ownMetrics: number,
  groups: readonly MetricGroup[],
  budget: Pick<HeaderParts, 'aggregation' | 'descriptions' | 'maxBytes' | 'maxMetrics'>,
): string {
  const entries = groups.map((group) =>
    formatEntry(group.name, group.duration(budget.aggregation), describe(group), budget.descriptions),
  );
  const order = groups.map((_, index) => index);
  const isTotal = (index: number) => (groups[index] as MetricGroup).name.endsWith('.total');
  const duration = (index: number) => (groups[index] as MetricGroup).duration(budget.aggregation);
  order.sort((a, b) => Number(isTotal(b)) - Number(isTotal(a)) || duration(b) - duration(a) || a - b);
  const kept = new Array<boolean>(groups.length).fill(false);
  let bytes = header.length;
  let metrics = ownMetrics;
  for (const index of order) {
    const cost = (entries[index] as string).length + (bytes === 0 ? 0 : 2);
    if (metrics >= budget.maxMetrics || bytes + cost > budget.maxBytes) continue;
    kept[index] = true;
    metrics++;
    bytes += cost;
  }
  let result = header;
  for (let index = 0; index < entries.length; index++) {
    if (kept[index]) result = result === '' ? (entries[index] as string) : `${result}, ${entries[index]}`;
  }
  return result;
}

/**
 * A folded metric's description: the downstream's own for one answer, `3x <it>` when several answers
 * said the same, else `3 answers` (each member is one call's answer, not a span of this service).
 */
function describe(group: MetricGroup): string | undefined {
  if (group.count === 1 || (group.commonDescription !== undefined && group.commonDescription !== '')) {
    return group.description();
  }
  return `${group.count} answers`;
}
