import type { HrTime } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { defaultSpanMetricName } from '@otel-server-timing/core';

function hrTimeToMilliseconds(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** The exported span with this span id. */
export function exportedSpan(exporter: InMemorySpanExporter, spanId: string): ReadableSpan | undefined {
  return exporter.getFinishedSpans().find((span) => span.spanContext().spanId === spanId);
}

/**
 * The spans of one request among `finishedSpans` (e.g. an exporter's `getFinishedSpans()`): every
 * descendant of `root` in this process (a remote parent starts another request), not counting the root itself.
 */
export function requestSpans(finishedSpans: readonly ReadableSpan[], root: ReadableSpan): ReadableSpan[] {
  const traceId = root.spanContext().traceId;
  const candidates = finishedSpans.filter(
    (span) => span.spanContext().traceId === traceId && span.parentSpanContext?.isRemote !== true,
  );
  const members = new Set([root.spanContext().spanId]);
  const found: ReadableSpan[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const span of candidates) {
      const id = span.spanContext().spanId;
      const parentId = span.parentSpanContext?.spanId;
      if (!members.has(id) && parentId !== undefined && members.has(parentId)) {
        members.add(id);
        found.push(span);
        grew = true;
      }
    }
  }
  return found;
}

/** Wall-clock union (ms) of the intervals of the spans that map to `metric` under the default mapping. */
export function unionDuration(spans: readonly ReadableSpan[], metric: string): number {
  const intervals = spans
    .filter((span) => defaultSpanMetricName(span) === metric)
    .map((span) => {
      const start = hrTimeToMilliseconds(span.startTime);
      return [start, start + hrTimeToMilliseconds(span.duration)] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let currentStart = Number.NaN;
  let currentEnd = Number.NaN;
  for (const [start, end] of intervals) {
    if (start > currentEnd) {
      total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else if (Number.isNaN(currentEnd)) {
      currentStart = start;
      currentEnd = end;
    } else if (end > currentEnd) {
      currentEnd = end;
    }
  }
  return Number.isNaN(currentEnd) ? 0 : total + currentEnd - currentStart;
}
