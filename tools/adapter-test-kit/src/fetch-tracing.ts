// What the Fetch-API suites (fetch, hono) share: the SDK per test file, timed child spans, a loopback
// server and the checks of a header against the exported spans.
import { createServer, type RequestListener, type Server } from 'node:http';
import { type Attributes, SpanKind, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  defaultSpanMetricName,
  type ParsedServerTimingMetric,
  parseServerTiming,
  readTraceContext,
} from '@otel-server-timing/core';
import { afterAll, afterEach, expect } from 'vitest';
import { closeServer, listen } from './listen.js';
import { requestSpans, unionDuration } from './spans.js';
import { startTestSdk, type TestSdk } from './tracing.js';

/** Starts the SDK for a test file: exported spans cleared after each test, everything shut down after the last. */
export function useTracing(): TestSdk {
  const tracing = startTestSdk();
  afterEach(() => tracing.exporter.reset());
  afterAll(() => tracing.shutdown());
  return tracing;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `ms` of work in a child span of the active one (a database query, by default). */
export function timedSpan(
  tracer: Tracer,
  name: string,
  ms: number,
  attributes: Attributes = { 'db.system.name': 'postgresql' },
): Promise<void> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    await sleep(ms);
    span.end();
  });
}

/** A node:http server on 127.0.0.1 (port 0), closed after the file's last test. */
export async function listenOnLoopback(
  listener: RequestListener,
  create: (listener: RequestListener) => Server = createServer,
): Promise<{ server: Server; url: string }> {
  const server = create(listener);
  const origin = await listen(server);
  afterAll(() => closeServer(server));
  return { server, url: `${origin}/` };
}

/** Expected duration of each metric name the spans map to: the wall-clock union of their intervals. */
export function expectedDurations(spans: readonly ReadableSpan[]): Map<string, number> {
  const names = new Set(spans.map((span) => defaultSpanMetricName(span)).filter((name) => name !== null));
  return new Map([...names].map((name) => [name, unionDuration(spans, name)]));
}

export function metricsByName(header: string | null): Record<string, ParsedServerTimingMetric> {
  return Object.fromEntries(parseServerTiming(header ?? '').map((metric) => [metric.name, metric]));
}

/**
 * Checks a response's Server-Timing against the exported spans: the traceparent is the server span's, and
 * each span metric equals the union of the intervals of the exported spans it stands for.
 */
export function expectHeaderMatchesSpans(
  header: string | null,
  server: ReadableSpan,
  spans: readonly ReadableSpan[],
) {
  expect(header).toBeTruthy();
  const parsed = parseServerTiming(header ?? '');
  const context = readTraceContext(parsed);
  expect(context?.traceId).toBe(server.spanContext().traceId);
  expect(context?.spanId).toBe(server.spanContext().spanId);
  const metrics = metricsByName(header);
  const expected = expectedDurations(requestSpans(spans, server));
  expect(expected.size).toBeGreaterThan(0);
  for (const [name, duration] of expected) {
    expect(metrics[name], `metric ${name} in ${header}`).toBeDefined();
    expect(metrics[name]?.duration).toBeCloseTo(duration, 2);
  }
  expect(metrics.total?.duration).toBeGreaterThan(0);
  return metrics;
}

export function serverSpans(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((span) => span.kind === SpanKind.SERVER);
}
