// The whole Server-Timing set-up of a Next.js app, beside @vercel/otel:
// - the ServerTimingSpanProcessor among the span processors, where it sees every span Next makes;
// - instrumentEveryServer(), which gives every response of `next start` its header (pages, route
//   handlers, server actions, Pages Router, API routes, middleware responses) from the server Next
//   creates itself. It starts no span: Next's own server span is the request's.
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { instrumentEveryServer } from '@otel-server-timing/node';
import { registerOTel } from '@vercel/otel';

registerOTel({
  serviceName: 'next-example',
  spanProcessors: ['auto', new ServerTimingSpanProcessor()],
  instrumentations: ['fetch', new PgInstrumentation()],
});
instrumentEveryServer();
