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
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { foldShipping } from './downstreams.mjs';

// ES-module apps: import-in-the-middle's loader lets the instrumentations patch what the app imports.
// Through its message channel it wraps only the modules an instrumentation hooks (express, pg, …), so
// the app's own modules keep their live bindings and import cycles. Register it before the app's imports.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

new NodeTracerProvider({
  resource: resourceFromAttributes({
    'service.name': process.env.OTEL_SERVICE_NAME ?? 'otel-server-timing-demo',
  }),
  // `downstream`: what the shipping service says in its own Server-Timing is folded into the header of
  // the request that called it (`shipping.postgresql`, `shipping.total`).
  spanProcessors: [new ServerTimingSpanProcessor({ downstream: foldShipping }), ...exportSpanProcessors()],
}).register();
registerInstrumentations({
  instrumentations: [
    new HttpInstrumentation(), // the requests' SERVER spans, outgoing calls through node:http
    new UndiciInstrumentation(), // outgoing calls through fetch()
    new ExpressInstrumentation(),
    new PgInstrumentation(), // the queries, through pg
  ],
});

// Every module the instrumentations hook is known to the loader before the app's first import.
await waitForAllMessagesAcknowledged();
