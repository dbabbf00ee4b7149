import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

function milliseconds(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** Wall-clock union (ms) of the spans' intervals: the time at least one of them ran. */
export function unionOfSpans(spans: readonly ReadableSpan[]): number {
  const intervals = spans
    .map(
      (span) =>
        [milliseconds(span.startTime), milliseconds(span.startTime) + milliseconds(span.duration)] as const,
    )
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [start, stop] of intervals) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}
