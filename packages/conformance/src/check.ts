import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { requestSpans, unionOfSpans } from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, toMetricName } from '@otel-server-timing/core';

/** Durations in the header are rounded; nothing else may differ. */
export const ROUNDING = 0.01;

/** One kind of work the application did, and how to recognise its operations among the exported spans. */
export type ExpectedWork = {
  /** The metric it must become, named by the semantic conventions (`postgresql`, `http`, …). */
  metric: string;
  /** How many operations the application did (queries, commands, calls). */
  count: number;
  /** Which exported spans are those operations (not their plumbing), given all the request's spans. */
  isOperation(span: ReadableSpan, requestSpans: readonly ReadableSpan[]): boolean;
};

export type CorpusCase = {
  /** The instrumentation under test, as auto-instrumentations-node names it. */
  instrumentation: string;
  work: readonly ExpectedWork[];
  /**
   * Framework layer metrics the request may also carry (their own time): a layer that ends after the
   * response's first byte (Express's request handler) is not in the header.
   */
  layers?: readonly string[];
  /** Span names (or prefixes) that must appear among the request's spans and must not become metrics. */
  leftOut?: readonly string[];
  /** Text the application sent its servers (SQL, keys, URLs, query strings) that the header must not hold. */
  secrets?: readonly string[];
};

export type CorpusResult = { header: string; spans: readonly ReadableSpan[] };

function describeWork(work: ExpectedWork, spans: readonly ReadableSpan[]): string {
  const operations = spans.filter((span) => work.isOperation(span, spans));
  const names = new Set(operations.map((span) => span.name));
  const desc =
    operations.length === 1
      ? operations[0]!.name
      : names.size === 1
        ? `${operations.length}x ${[...names][0]}`
        : `${operations.length} spans`;
  return `${work.metric};dur=${unionOfSpans(operations).toFixed(3)};desc="${desc}"`;
}

/**
 * Compares a response's `Server-Timing` header with what the application did, as its exported spans
 * tell it. Returns the problems found (empty when the header tells the truth), each naming the
 * instrumentation, the header got and the header expected.
 */
export function compareHeader(
  corpusCase: CorpusCase,
  header: string,
  allSpans: readonly ReadableSpan[],
): string[] {
  const metrics = parseServerTiming(header);
  const traceparent = metrics.find((metric) => metric.name === 'traceparent')?.description ?? '';
  const [, traceId, rootId] = traceparent.split('-');
  const root = allSpans.find(
    (span) => span.spanContext().spanId === rootId && span.spanContext().traceId === traceId,
  );
  const spans = root === undefined ? [] : requestSpans(allSpans, root);
  const expected = [
    ...corpusCase.work.map((work) => describeWork(work, spans)),
    ...(corpusCase.layers ?? []).map((layer) => `${layer};dur=<own time>`),
    'total;dur=…',
    'traceparent;desc=…',
  ].join(', ');
  const problems: string[] = [];
  const fail = (what: string) =>
    problems.push(`${corpusCase.instrumentation}: ${what}\n  got:      ${header}\n  expected: ${expected}`);
  if (root === undefined) {
    fail('the traceparent names no exported server span');
    return problems;
  }
  const byName = new Map(metrics.map((metric) => [metric.name, metric]));
  for (const work of corpusCase.work) {
    const operations = spans.filter((span) => work.isOperation(span, spans));
    const metric = byName.get(work.metric);
    if (operations.length !== work.count)
      fail(
        `the application did ${work.count} ${work.metric} operations, the spans show ${operations.length}`,
      );
    if (metric === undefined) {
      fail(`no ${work.metric} metric`);
      continue;
    }
    const union = unionOfSpans(operations);
    if (Math.abs(metric.duration - union) > ROUNDING)
      fail(`${work.metric} lasted ${metric.duration} ms, its operations' spans ${union.toFixed(3)} ms`);
    const counted = work.count === 1 ? 1 : Number(/^(\d+)/.exec(metric.description)?.[1] ?? Number.NaN);
    if (counted !== work.count)
      fail(`${work.metric} counts ${metric.description || 'nothing'}, not ${work.count} operations`);
  }
  if (corpusCase.layers !== undefined && !corpusCase.layers.some((layer) => byName.has(layer))) {
    fail(`none of the layer metrics ${corpusCase.layers.join(', ')}`);
  }
  const allowed = new Set([
    ...corpusCase.work.map((work) => work.metric),
    ...(corpusCase.layers ?? []),
    'total',
    'traceparent',
  ]);
  for (const metric of metrics) {
    if (!allowed.has(metric.name)) fail(`unexpected metric ${metric.name}`);
  }
  // Each piece of time is counted once: the metrics of a request that does one thing at a time add up to at most `total`.
  const total = byName.get('total')?.duration ?? 0;
  const sum = metrics
    .filter((metric) => metric.name !== 'total' && metric.name !== 'traceparent')
    .reduce((all, metric) => all + metric.duration, 0);
  if (sum > total + ROUNDING * metrics.length)
    fail(
      `the metrics add up to ${sum.toFixed(3)} ms, more than total (${total} ms): something is counted twice`,
    );
  const internalNames = new Set(
    spans
      .filter(
        (span) =>
          span.instrumentationScope.name.startsWith('@opentelemetry/instrumentation-') ||
          span.instrumentationScope.name === '@fastify/otel',
      )
      .map((span) => toMetricName(span.name)),
  );
  for (const metric of metrics) {
    if (internalNames.has(metric.name) && !allowed.has(metric.name))
      fail(`metric ${metric.name} is named after an instrumentation's span`);
  }
  for (const name of corpusCase.leftOut ?? []) {
    if (!spans.some((span) => span.name.startsWith(name)))
      fail(`no ${name} span in the request: the case no longer shows it is left out`);
  }
  for (const secret of corpusCase.secrets ?? []) {
    if (header.includes(secret)) fail(`the header gives away ${JSON.stringify(secret)}`);
  }
  if (spans.some((span) => span.kind === SpanKind.SERVER)) fail('a second server span inside the request');
  // The span a framework instrumentation makes of an adapter's own middleware or hook times this library.
  if (header.includes('serverTiming')) fail("the header times this library's own middleware");
  return problems;
}
