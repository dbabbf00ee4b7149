import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Attributes, context, propagation, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  defaultSpanMetricName,
  type ParsedServerTimingMetric,
  parseServerTiming,
  readTraceContext,
  ServerTimingSpanProcessor,
} from '@otel-server-timing/core';
import { afterAll, afterEach, expect } from 'vitest';

/** The real SDK, registered globally (context manager, W3C propagator), with the processor and an in-memory exporter. */
export function startTracing() {
  const processor = new ServerTimingSpanProcessor();
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(exporter)] });
  provider.register();
  const tracer = provider.getTracer('test');
  return {
    processor,
    exporter,
    provider,
    tracer,
    async stop(): Promise<void> {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

export type Tracing = ReturnType<typeof startTracing>;

/** Starts the SDK for a test file: exported spans cleared after each test, everything shut down after the last. */
export function useTracing(): Tracing {
  const tracing = startTracing();
  afterEach(() => tracing.exporter.reset());
  afterAll(() => tracing.stop());
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function startMs(span: ReadableSpan): number {
  return span.startTime[0] * 1e3 + span.startTime[1] / 1e6;
}

function durationMs(span: ReadableSpan): number {
  return span.duration[0] * 1e3 + span.duration[1] / 1e6;
}

/** Length of the union of [start, end] intervals, overlaps counted once. */
export function unionOf(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of sorted) {
    if (current !== undefined && start <= current[1]) {
      current[1] = Math.max(current[1], end);
      continue;
    }
    if (current !== undefined) total += current[1] - current[0];
    current = [start, end];
  }
  if (current !== undefined) total += current[1] - current[0];
  return total;
}

/** The exported spans beneath `root`, at any depth. */
export function descendantsOf(spans: readonly ReadableSpan[], root: ReadableSpan): ReadableSpan[] {
  const ids = new Set([root.spanContext().spanId]);
  const found: ReadableSpan[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const span of spans) {
      const parent = span.parentSpanContext?.spanId;
      const id = span.spanContext().spanId;
      if (parent !== undefined && ids.has(parent) && !ids.has(id)) {
        ids.add(id);
        found.push(span);
        grew = true;
      }
    }
  }
  return found;
}

/** Expected duration of each metric name: the wall-clock union of the intervals of the spans it maps. */
export function expectedDurations(spans: readonly ReadableSpan[]): Map<string, number> {
  const groups = new Map<string, [number, number][]>();
  for (const span of spans) {
    const name = defaultSpanMetricName(span);
    if (name === null) continue;
    const start = startMs(span);
    const intervals = groups.get(name) ?? [];
    intervals.push([start, start + durationMs(span)]);
    groups.set(name, intervals);
  }
  return new Map([...groups].map(([name, intervals]) => [name, unionOf(intervals)]));
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
  const expected = expectedDurations(descendantsOf(spans, server));
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
