// OpenTelemetry, loaded before the app: node --import ./tracing.mjs app.mjs
// instrumentation-http makes each request's SERVER span under @hono/node-server; the middleware reads it.
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { exportSpanProcessors } from '@otel-server-timing/example-support/exporters';
import { createAddHookMessageChannel } from 'import-in-the-middle';

// ES-module apps: import-in-the-middle's loader lets the instrumentations patch what the app imports.
// Through its message channel it wraps only the modules an instrumentation hooks (express, pg, …), so
// the app's own modules keep their live bindings and import cycles. Register it before the app's imports.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const tracerProvider = new NodeTracerProvider({
  spanProcessors: [new ServerTimingSpanProcessor(), ...exportSpanProcessors()],
});
tracerProvider.register();
registerInstrumentations({
  tracerProvider,
  instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
});

// Every module the instrumentations hook is known to the loader before the app's first import.
await waitForAllMessagesAcknowledged();
