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

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

registerOTel({
  serviceName: 'my-service',
  spanProcessors: ['auto', new ServerTimingSpanProcessor()],
  instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
});
