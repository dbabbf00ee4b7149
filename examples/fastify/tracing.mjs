// OpenTelemetry, loaded before the app: node --import ./tracing.mjs app.mjs
// The ServerTimingSpanProcessor is registered like any other span processor, beside the exporters.
import { register } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const provider = new NodeTracerProvider({
  spanProcessors: [new ServerTimingSpanProcessor(), ...exportSpanProcessors()],
});
provider.register();
registerInstrumentations({
  // @fastify/otel (the Fastify team's instrumentation) times hooks and handlers; it adds itself to
  // every Fastify instance created from now on.
  instrumentations: [
    new HttpInstrumentation(),
    new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    new PgInstrumentation(),
  ],
});
