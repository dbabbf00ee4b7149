import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import { indexedQueries, indexedSpanCount } from './child-work.js';
import { metric, type TimedResponse } from './client.js';
import { waitFor } from './poll.js';
import { type Served, send } from './served.js';
import { exportedSpan, requestSpans, settledRequestSpans, unionDuration } from './spans.js';
import type { Tracing } from './tracing.js';

/** Rounding of the header's durations (three decimals) is the only difference allowed. */
const ROUNDING = 0.01;

/** Waits until the exporter holds the span with this id: some framework spans end after the response. */
export function waitForExportedSpan(
  tracing: Pick<Tracing, 'exporter'>,
  spanId: string,
): Promise<ReadableSpan> {
  return waitFor(`the exported span ${spanId}`, () => exportedSpan(tracing.exporter, spanId));
}

/**
 * Waits until the trace of the request whose root span has this id has settled (see
 * `settledRequestSpans`), and resolves with the request's spans.
 */
export function waitForSettledRequest(
  tracing: Pick<Tracing, 'exporter'>,
  rootSpanId: string,
): Promise<ReadableSpan[]> {
  return waitFor(`the spans of the request ${rootSpanId} to be exported`, () =>
    settledRequestSpans(tracing.exporter.getFinishedSpans(), rootSpanId),
  );
}

function milliseconds(span: ReadableSpan): number {
  return span.duration[0] * 1e3 + span.duration[1] / 1e6;
}

/**
 * Checks a response of the `doChildWork` scenario against the exported spans: its `traceparent` is the
 * exported SERVER span, its `http` and `postgresql` durations equal the wall-clock union of the exported
 * spans of those kinds (less than the sum of the overlapping queries), `postgresql` counts the three
 * queries, and `total` is at least every one of them. Returns the request's spans.
 */
export async function expectChildWorkTimings(tracing: Tracing, response: TimedResponse) {
  expect(response.status).toBe(200);
  const traceContext = response.traceContext;
  expect(traceContext, `no traceparent in ${response.serverTiming}`).toBeDefined();
  const root = await waitForExportedSpan(tracing, traceContext!.spanId);
  expect(root.kind).toBe(SpanKind.SERVER);
  expect(root.spanContext().traceId).toBe(traceContext!.traceId);
  const spans = await waitForSettledRequest(tracing, root.spanContext().spanId);
  const total = metric(response, 'total');
  expect(total?.duration, `no total in ${response.serverTiming}`).toBeGreaterThan(0);
  for (const name of ['http', 'postgresql']) {
    const header = metric(response, name);
    expect(header, `no ${name} metric in ${response.serverTiming}`).toBeDefined();
    const fromSpans = unionDuration(spans, name);
    expect(fromSpans).toBeGreaterThan(0);
    expect(
      Math.abs(header!.duration - fromSpans),
      `${name}: header ${header!.duration}, spans ${fromSpans}`,
    ).toBeLessThanOrEqual(ROUNDING);
    expect(total!.duration + ROUNDING).toBeGreaterThanOrEqual(header!.duration);
  }
  const queries = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
  expect(queries.map((span) => span.name).sort()).toEqual(['SELECT orders', 'SELECT roles', 'SELECT users']);
  expect(metric(response, 'postgresql')!.description).toBe('3 spans');
  // Two of the three queries ran in parallel: the union is less than the sum of their durations.
  const sum = queries.reduce((all, span) => all + milliseconds(span), 0);
  expect(metric(response, 'postgresql')!.duration).toBeLessThan(sum);
  return spans;
}

/** A distinct caller trace id per request of the isolation test, so each response can be matched. */
function callerTraceId(index: number): string {
  return (index + 1).toString(16).padStart(32, '0');
}

/**
 * Sends `count` concurrent requests to `/isolated/<index>`, whose handler runs `doIndexedWork(index)` and
 * adds an `own-<index>` metric, each with its own caller `traceparent`. Checks that every response
 * continues its caller's trace under an exported server span of its own, and carries only its own
 * `own-<index>` and `step-<index>` metrics, with the span count and wall-clock union of that request's
 * exported spans, and a `postgresql` metric naming its own query where it ran one, none where it did not.
 */
export async function expectIsolationUnderLoad(
  tracing: Tracing,
  served: Served,
  count: number,
): Promise<void> {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      send(served, `/isolated/${index}`, {
        headers: { traceparent: `00-${callerTraceId(index)}-00f067aa0ba902b7-01` },
      }),
    ),
  );
  const rootIds = responses.map((response) => response.traceContext?.spanId);
  await waitFor('every named server span to be exported', () => {
    const exported = new Set(tracing.exporter.getFinishedSpans().map((span) => span.spanContext().spanId));
    return rootIds.every((id) => id === undefined || exported.has(id));
  });
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
    const added = response.metrics
      .filter((entry) => entry.name.startsWith('own-'))
      .map((entry) => entry.name);
    if (added.length !== 1 || added[0] !== `own-${index}`) {
      problems.push(`#${index}: own metrics ${JSON.stringify(added)}`);
    }
    const database = metric(response, 'postgresql');
    if (indexedQueries(index) ? database?.description !== `query-${index}` : database !== undefined) {
      problems.push(`#${index}: postgresql ${JSON.stringify(database)}`);
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
    if (root.spanContext().traceId !== callerTraceId(index)) {
      problems.push(`#${index}: trace ${root.spanContext().traceId} is not its caller's`);
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
