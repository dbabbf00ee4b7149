import { createRequire } from 'node:module';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { startTestSdk, type TestSdk } from '@otel-server-timing/adapter-test-kit';
import { serverTimingResponseHook } from '@otel-server-timing/node';

/** The explicit set-up a service writes by hand, with every instrumentation on at its defaults. */
export type CorpusSdk = TestSdk & {
  /** `require` for the application's modules: loaded after the instrumentations, so they are patched. */
  require: NodeJS.Require;
};

/**
 * A `NodeTracerProvider` with the processor and an in-memory exporter, `getNodeAutoInstrumentations()`
 * with its defaults (instrumentation-http given the Server-Timing `responseHook`, as the README shows),
 * plus any instrumentation that auto-instrumentations-node does not include (`@fastify/otel`).
 */
export function startCorpusSdk(extra: readonly Instrumentation[] = []): CorpusSdk {
  const sdk = startTestSdk({
    instrumentations: [
      ...getNodeAutoInstrumentations({
        '@opentelemetry/instrumentation-http': { responseHook: serverTimingResponseHook() },
      }),
      ...extra,
    ],
  });
  const require = createRequire(import.meta.url);
  // Node's built-ins are patched when required after the instrumentations are enabled, as in a service
  // that loads the SDK first; the test runner loaded them long before.
  for (const builtin of ['node:http', 'node:https', 'node:net', 'node:dns']) require(builtin);
  return { ...sdk, require };
}
