import { type Context, context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ServerTimingSpanProcessor } from '../src/processor.js';
import type { ServerTimingProcessorOptions } from '../src/types.js';

/** A real SDK provider with the processor under test and an in-memory exporter beside it. */
export function createTracing(options?: ServerTimingProcessorOptions, sampler?: Sampler) {
  const processor = new ServerTimingSpanProcessor(options);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
    ...(sampler === undefined ? {} : { sampler }),
  });
  const tracer = provider.getTracer('test');
  return { processor, exporter, provider, tracer };
}

/** Starts a root SERVER span (optionally under a remote parent context) and returns it with its context. */
export function startRequest(
  tracer: Tracer,
  parent: Context = context.active(),
): { root: Span; ctx: Context } {
  const root = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER }, parent);
  return { root, ctx: trace.setSpan(parent, root) };
}

/** Starts and ends a child span with exact start and end times (ms since epoch). */
export function childSpan(
  tracer: Tracer,
  parent: Context,
  name: string,
  startMs: number,
  endMs: number,
  attributes: Record<string, string> = {},
  kind: SpanKind = SpanKind.INTERNAL,
): Span {
  const span = tracer.startSpan(name, { startTime: startMs, attributes, kind }, parent);
  span.end(endMs);
  return span;
}

export function exportedRoot(exporter: InMemorySpanExporter): ReadableSpan | undefined {
  return exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
}
