import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { serverTimingResponseHook } from '@otel-server-timing/node';

/** The explicit set-up a service writes by hand, with every instrumentation on at its defaults. */
export type CorpusSdk = {
  exporter: InMemorySpanExporter;
  /** `require` for the application's modules: loaded after the instrumentations, so they are patched. */
  require: NodeJS.Require;
  shutdown(): Promise<void>;
};

/**
 * A `NodeTracerProvider` with the processor and an in-memory exporter, `getNodeAutoInstrumentations()`
 * with its defaults (instrumentation-http given the Server-Timing `responseHook`, as the README shows),
 * plus any instrumentation that auto-instrumentations-node does not include (`@fastify/otel`).
 */
export function startCorpusSdk(extra: readonly Instrumentation[] = []): CorpusSdk {
  const processor = new ServerTimingSpanProcessor();
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(exporter)] });
  provider.register();
  const unregister = registerInstrumentations({
    instrumentations: [
      getNodeAutoInstrumentations({
        '@opentelemetry/instrumentation-http': { responseHook: serverTimingResponseHook() },
      }),
      ...extra,
    ],
    tracerProvider: provider,
  });
  const require = createRequire(import.meta.url);
  // Node's built-ins are patched when required after the instrumentations are enabled, as in a service
  // that loads the SDK first; the test runner loaded them long before.
  for (const builtin of ['node:http', 'node:https', 'node:net', 'node:dns']) require(builtin);
  return {
    exporter,
    require,
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
