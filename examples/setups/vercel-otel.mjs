// @vercel/otel's registerOTel, as in a Next.js `instrumentation.ts`; it runs in plain Node too. 'auto'
// keeps the export processor @vercel/otel picks for the environment (OTLP when OTEL_EXPORTER_OTLP_* is
// set, Vercel's own on Vercel).
// In Next.js, Next makes the request spans itself; keep @vercel/otel's default instrumentations there.
// Outside Next.js, instrumentation-http makes them (and traces outgoing node:http calls), so it replaces
// the defaults here: with both, every outgoing call would have two spans.
//   node --import ./vercel-otel.mjs app.mjs
import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { registerOTel } from '@vercel/otel';
import { createAddHookMessageChannel } from 'import-in-the-middle';

// ES-module apps: import-in-the-middle's loader lets the instrumentations patch what the app imports.
// Through its message channel it wraps only the modules an instrumentation hooks (express, pg, …), so
// the app's own modules keep their live bindings and import cycles. Register it before the app's imports.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

registerOTel({
  serviceName: 'my-service',
  spanProcessors: ['auto', new ServerTimingSpanProcessor()],
  instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
});

// Every module the instrumentations hook is known to the loader before the app's first import.
await waitForAllMessagesAcknowledged();
