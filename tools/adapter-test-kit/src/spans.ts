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

/**
 * The spans of the request whose root span has this id, once its trace has settled: the root is among
 * `finishedSpans` and so is the in-process parent of every finished span of its trace (a span ends after
 * its children, so none of them is still open). `undefined` while it has not settled.
 */
export function settledRequestSpans(
  finishedSpans: readonly ReadableSpan[],
  rootSpanId: string,
): ReadableSpan[] | undefined {
  const root = finishedSpans.find((span) => span.spanContext().spanId === rootSpanId);
  if (root === undefined) return undefined;
  const traceId = root.spanContext().traceId;
  const ids = new Set(finishedSpans.map((span) => span.spanContext().spanId));
  const open = finishedSpans.some((span) => {
    const parent = span.parentSpanContext;
    return (
      span.spanContext().traceId === traceId &&
      span !== root &&
      parent !== undefined &&
      !parent.isRemote &&
      !ids.has(parent.spanId)
    );
  });
  return open ? undefined : requestSpans(finishedSpans, root);
}

/** Wall-clock union (ms) of the spans' intervals: the time at least one of them ran. */
export function unionOfSpans(spans: readonly ReadableSpan[]): number {
  const intervals = spans
    .map((span) => {
      const start = hrTimeToMilliseconds(span.startTime);
      return [start, start + hrTimeToMilliseconds(span.duration)] as const;
    })
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

/** Wall-clock union (ms) of the intervals of the spans that map to `metric` under the default mapping. */
export function unionDuration(spans: readonly ReadableSpan[], metric: string): number {
  return unionOfSpans(spans.filter((span) => defaultSpanMetricName(span) === metric));
}
