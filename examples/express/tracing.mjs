// OpenTelemetry, loaded before the app: node --import ./tracing.mjs app.mjs
// The ServerTimingSpanProcessor is registered like any other span processor, beside the exporters.
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';

// An ES module app gets Express spans only with this loader hook, registered before express is imported.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

new NodeTracerProvider({
  spanProcessors: [new ServerTimingSpanProcessor(), ...exportSpanProcessors()],
}).register();
registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(),
    // No span of the Server-Timing middleware itself: it would only time the library, and costs more than
    // the middleware's own work (see BENCHMARKS.md).
    new ExpressInstrumentation({ ignoreLayers: [/serverTimingMiddleware$/] }),
    new PgInstrumentation(),
  ],
});
