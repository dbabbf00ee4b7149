// OpenTelemetry for the demo, loaded before the server: node --import ./tracing.mjs server.mjs
// The ServerTimingSpanProcessor sits beside the exporters: every span is printed on one line, and sent
// over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (e.g. http://localhost:4318 for a collector or
// Jaeger). The processor needs nothing else: the express middleware finds it by itself.
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

new NodeTracerProvider({
  resource: resourceFromAttributes({
    'service.name': process.env.OTEL_SERVICE_NAME ?? 'otel-server-timing-demo',
  }),
  spanProcessors: [new ServerTimingSpanProcessor(), ...exportSpanProcessors()],
}).register();
registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(), // the requests' SERVER spans, outgoing calls through node:http
    new UndiciInstrumentation(), // outgoing calls through fetch()
    new ExpressInstrumentation(),
    new PgInstrumentation(), // the queries, through pg
  ],
});
