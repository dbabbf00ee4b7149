// The OpenTelemetry set a test run uses: `COMPAT_SET` names a folder of ../sets, installed there (with our
// packed packages) by scripts/compat.mjs. Everything the tests exercise is loaded from that folder, so
// our packages resolve the set's `@opentelemetry/api`, as they would in an application.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {object} OtelSet
 * @property {string} name the folder under sets/, e.g. `otel3`
 * @property {Record<string, string>} versions the set's pinned dependencies
 * @property {NodeJS.Require} require `require` from the set's folder (CommonJS builds)
 * @property {import('../sets/sdk').Sdk} sdk what differs between SDK lines
 */

/**
 * @typedef {object} Tracing
 * @property {import('../sets/sdk').InMemorySpanExporter} exporter every sampled span, once ended
 * @property {import('@opentelemetry/api').Tracer} tracer for the spans of the routes
 * @property {() => Promise<void>} stop unpatches, shuts the provider down and clears the API's globals
 */

/** @returns {OtelSet} */
export function loadSet() {
  const name = process.env.COMPAT_SET;
  const url = new URL(`../sets/${name}/`, import.meta.url);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('package.json', url), 'utf8'));
  } catch {
    throw new Error(
      `COMPAT_SET=${name} names no set under packages/compat/sets; run these tests through scripts/compat.mjs`,
    );
  }
  const requireFromSet = createRequire(fileURLToPath(new URL('package.json', url)));
  return {
    name: String(name),
    versions: manifest.dependencies,
    require: requireFromSet,
    sdk: requireFromSet('./sdk.cjs'),
  };
}

/**
 * Starts tracing as an application on that set does: the set's tracer provider with `spanProcessor` (and
 * an in-memory exporter beside it), then instrumentation-http and instrumentation-express. The tests' own
 * client requests stay untraced, so each server span is a local root.
 * @param {OtelSet} set
 * @param {{ spanProcessor: object, sampler?: object }} options
 * @returns {Tracing}
 */
export function startTracing(set, { spanProcessor, sampler }) {
  const api = set.require('@opentelemetry/api');
  const { registerInstrumentations } = set.require('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = set.require('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = set.require('@opentelemetry/instrumentation-express');
  const exporter = new set.sdk.InMemorySpanExporter();
  const provider = set.sdk.startProvider({ spanProcessor, exporter, sampler });
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreOutgoingRequestHook: () => true }),
      new ExpressInstrumentation(),
    ],
  });
  // require-in-the-middle patches a module as it is required; the test runner loaded node:http already.
  set.require('node:http');
  return {
    exporter,
    tracer: provider.getTracer('compat'),
    async stop() {
      unregister();
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
    },
  };
}
