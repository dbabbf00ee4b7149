// OpenTelemetry for the Nest app, loaded before it: node --import ./dist/tracing.mjs dist/main-express.js
// The ServerTimingSpanProcessor is registered like any other span processor, beside the exporters. The
// instrumentations are the ones a Nest service uses: http, nestjs-core, the platform's framework (express
// or @fastify/otel) and the database driver's (pg).
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';

new NodeTracerProvider({
  spanProcessors: [new ServerTimingSpanProcessor(), ...exportSpanProcessors()],
}).register();
registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(),
    new NestInstrumentation(),
    // Express platform. No span of the Server-Timing middleware itself: it would only time the library.
    new ExpressInstrumentation({ ignoreLayers: [/serverTimingMiddleware$/] }),
    // Fastify platform: @fastify/otel adds itself to every Fastify instance, the one Nest creates too.
    new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    new PgInstrumentation(),
  ],
});
