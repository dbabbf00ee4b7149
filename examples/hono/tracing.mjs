// OpenTelemetry, loaded before the app: node --import ./tracing.mjs app.mjs
// instrumentation-http makes each request's SERVER span under @hono/node-server; the middleware reads it.
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const tracerProvider = new NodeTracerProvider({
  spanProcessors: [new ServerTimingSpanProcessor(), ...exportSpanProcessors()],
});
tracerProvider.register();
registerInstrumentations({
  tracerProvider,
  instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
});
