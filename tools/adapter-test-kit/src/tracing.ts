import { createRequire } from 'node:module';
import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { type ServerTimingProcessorOptions, ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { DOWNSTREAM_PATH } from './downstream.js';

/** What {@link startTestSdk} registered, and how to take it all down again. */
export type TestSdk = {
  processor: ServerTimingSpanProcessor;
  exporter: InMemorySpanExporter;
  provider: NodeTracerProvider;
  tracer: Tracer;
  /** Unpatches the instrumentations, shuts the provider down and clears the API's globals. */
  shutdown(): Promise<void>;
};

/**
 * The real SDK as a service runs it, registered globally (AsyncLocalStorage context manager, W3C
 * propagator): a `NodeTracerProvider` with `spanProcessors: [processor, SimpleSpanProcessor(exporter)]`,
 * and the given instrumentations.
 */
export function startTestSdk(
  options: {
    processorOptions?: ServerTimingProcessorOptions;
    instrumentations?: readonly Instrumentation[];
  } = {},
): TestSdk {
  const processor = new ServerTimingSpanProcessor(options.processorOptions);
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(exporter)] });
  provider.register();
  const unregister = registerInstrumentations({
    instrumentations: [...(options.instrumentations ?? [])],
    tracerProvider: provider,
  });
  return {
    processor,
    exporter,
    provider,
    tracer: provider.getTracer('test'),
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The SDK of the adapter suites. */
export type Tracing = TestSdk & {
  /** `node:http` as patched by instrumentation-http: outgoing calls through it make client spans. */
  http: typeof import('node:http');
  /** The instrumentation that makes the server spans (its `responseHook` can be set with `setConfig`). */
  httpInstrumentation: HttpInstrumentation;
};

const requireHere = createRequire(import.meta.url);

/**
 * {@link startTestSdk} with instrumentation-http plus the given framework instrumentations. Load the
 * framework with `require` afterwards, so require-in-the-middle patches it.
 */
export function startTracing(frameworkInstrumentations: readonly Instrumentation[] = []): Tracing {
  const httpInstrumentation = new HttpInstrumentation({
    // The downstream test server stands in for another service; its own server spans are noise here.
    ignoreIncomingRequestHook: (request) => request.url?.startsWith(DOWNSTREAM_PATH) === true,
  });
  const sdk = startTestSdk({ instrumentations: [httpInstrumentation, ...frameworkInstrumentations] });
  // Requiring `http` after enabling makes instrumentation-http patch the shared module object.
  return { ...sdk, httpInstrumentation, http: requireHere('node:http') as typeof import('node:http') };
}
