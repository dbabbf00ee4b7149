import { SpanKind } from '@opentelemetry/api';
import { expect } from 'vitest';
import { indexedSpanCount } from './child-work.js';
import { metric, request, type TimedResponse } from './client.js';
import { exportedSpan, requestSpans, unionDuration } from './spans.js';
import type { Tracing } from './tracing.js';

/** Rounding of the header's durations (three decimals) is the only difference allowed. */
const ROUNDING = 0.01;

/** Waits until the exporter holds the span with this id: some framework spans end after the response. */
async function waitForSpan(tracing: Tracing, spanId: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const span = exportedSpan(tracing.exporter, spanId);
    if (span !== undefined) return span;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

/**
 * Checks a response of the `doChildWork` scenario against the exported spans: its `traceparent` is the
 * exported SERVER span, and its `http` and `postgresql` durations equal the wall-clock union of the
 * exported spans of those kinds. Also checks that the framework instrumentation made spans (the
 * attribute `frameworkAttribute`, e.g. `express.type`), and that the header leaves out any span it made
 * of the adapter's own middleware or hook. Returns the request's spans.
 */
export async function expectChildWorkTimings(
  tracing: Tracing,
  response: TimedResponse,
  frameworkAttribute: string,
) {
  expect(response.status).toBe(200);
  const traceContext = response.traceContext;
  expect(traceContext, `no traceparent in ${response.serverTiming}`).toBeDefined();
  const root = await waitForSpan(tracing, traceContext!.spanId);
  expect(root, 'the traceparent names no exported span').toBeDefined();
  expect(root!.kind).toBe(SpanKind.SERVER);
  expect(root!.spanContext().traceId).toBe(traceContext!.traceId);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const spans = requestSpans(tracing.exporter.getFinishedSpans(), root!);
  for (const name of ['http', 'postgresql']) {
    const header = metric(response, name);
    expect(header, `no ${name} metric in ${response.serverTiming}`).toBeDefined();
    const fromSpans = unionDuration(spans, name);
    expect(fromSpans).toBeGreaterThan(0);
    expect(
      Math.abs(header!.duration - fromSpans),
      `${name}: header ${header!.duration}, spans ${fromSpans}`,
    ).toBeLessThanOrEqual(ROUNDING);
  }
  const frameworkSpans = spans.filter((span) => span.attributes[frameworkAttribute] !== undefined);
  expect(frameworkSpans.length, `no span with ${frameworkAttribute}`).toBeGreaterThan(0);
  // A span the framework instrumentation makes of the adapter itself (where it still makes one) would
  // only time this library.
  expect(response.serverTiming).not.toContain('serverTimingMiddleware');
  return spans;
}

/**
 * Sends `count` concurrent requests to `urlOf(index)`, whose handler runs `doIndexedWork(index)`, and
 * checks that every response names its own trace and carries only its own `step-<index>` metric, with
 * the span count and wall-clock union of that request's exported spans.
 */
export async function expectIsolationUnderLoad(
  tracing: Tracing,
  urlOf: (index: number) => string,
  count: number,
): Promise<void> {
  const responses = await Promise.all(Array.from({ length: count }, (_, index) => request(urlOf(index))));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const finishedSpans = tracing.exporter.getFinishedSpans();
  const rootsById = new Map(
    finishedSpans
      .filter((span) => span.kind === SpanKind.SERVER)
      .map((span) => [span.spanContext().spanId, span]),
  );
  const problems: string[] = [];
  const traceIds = new Set<string>();
  responses.forEach((response, index) => {
    const own = `step-${index}`;
    const steps = response.metrics.filter((entry) => entry.name.startsWith('step-'));
    if (steps.length !== 1 || steps[0]?.name !== own) {
      problems.push(`#${index}: step metrics ${JSON.stringify(steps.map((step) => step.name))}`);
      return;
    }
    const spans = indexedSpanCount(index);
    const description = spans === 1 ? own : `${spans}x ${own}`;
    if (steps[0].description !== description) problems.push(`#${index}: description ${steps[0].description}`);
    const root = response.traceContext && rootsById.get(response.traceContext.spanId);
    if (root === undefined || root.spanContext().traceId !== response.traceContext?.traceId) {
      problems.push(
        `#${index}: traceparent ${JSON.stringify(response.traceContext)} is no exported server span`,
      );
      return;
    }
    traceIds.add(root.spanContext().traceId);
    const requestSpansOfRoot = requestSpans(finishedSpans, root);
    const ownSpans = requestSpansOfRoot.filter((span) => span.name === own);
    if (
      ownSpans.length !== spans ||
      requestSpansOfRoot.some((span) => span.name.startsWith('step-') && span.name !== own)
    ) {
      problems.push(`#${index}: its trace holds ${ownSpans.length} ${own} spans`);
    }
    const union = unionDuration(requestSpansOfRoot, own);
    if (Math.abs(steps[0].duration - union) > ROUNDING) {
      problems.push(`#${index}: ${own} header ${steps[0].duration} ms, spans ${union} ms`);
    }
  });
  expect(problems).toEqual([]);
  expect(traceIds.size).toBe(count);
}
