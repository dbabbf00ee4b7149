// OpenTelemetry, loaded before the app: node --import ./tracing.mjs app.mjs
// The ServerTimingSpanProcessor is registered like any other span processor, beside the exporters.
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';

// An ES module app gets Koa spans only with this loader hook, registered before koa is imported.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const spanProcessors = [new ServerTimingSpanProcessor(), ...exportSpanProcessors()];
new NodeTracerProvider({ spanProcessors }).register();
registerInstrumentations({
  instrumentations: [new HttpInstrumentation(), new KoaInstrumentation(), new PgInstrumentation()],
});
