import { createRequire } from 'node:module';
import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { DOWNSTREAM_PATH } from './downstream.js';

/** A registered SDK with the Server-Timing processor and an in-memory exporter beside it. */
export type Tracing = {
  processor: ServerTimingSpanProcessor;
  exporter: InMemorySpanExporter;
  tracer: Tracer;
  /** `node:http` as patched by instrumentation-http: outgoing calls through it make client spans. */
  http: typeof import('node:http');
  shutdown(): Promise<void>;
};

const requireHere = createRequire(import.meta.url);

/**
 * Registers a real `NodeTracerProvider` (`spanProcessors: [processor, SimpleSpanProcessor(exporter)]`) and
 * instrumentation-http plus the given framework instrumentations. Load the framework with `require`
 * afterwards, so require-in-the-middle patches it.
 */
export function startTracing(frameworkInstrumentations: readonly Instrumentation[] = []): Tracing {
  const processor = new ServerTimingSpanProcessor();
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  const instrumentations = [
    new HttpInstrumentation({
      // The downstream test server stands in for another service; its own server spans are noise here.
      ignoreIncomingRequestHook: (request) => request.url?.startsWith(DOWNSTREAM_PATH) === true,
    }),
    ...frameworkInstrumentations,
  ];
  const unregister = registerInstrumentations({ instrumentations, tracerProvider: provider });
  // Requiring `http` after enabling makes instrumentation-http patch the shared module object.
  const http = requireHere('node:http') as typeof import('node:http');
  return {
    processor,
    exporter,
    tracer: provider.getTracer('adapter-test'),
    http,
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
