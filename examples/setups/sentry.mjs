// Sentry's Node SDK 8–10 runs its own OpenTelemetry tracer provider (Sentry's sampler, span processor and
// http instrumentation): hand it the processor with `openTelemetrySpanProcessors`. `tracesSampleRate` must
// be set, or Sentry samples no spans and the header carries only the trace context.
// (Sentry 11, by its migration guide, no longer sets up OpenTelemetry by default: there, keep your own
// provider, as in node-tracer-provider.mjs, beside Sentry.init. Not tested here; see the README.)
//   node --import ./sentry.mjs app.mjs
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import * as Sentry from '@sentry/node';

/**
 * Sentry's outgoing HTTP spans have kind INTERNAL (`otel.kind` says CLIENT) and the URL as their name, so
 * the default mapping would make a metric of each URL. Map them to `http`, described by the method.
 */
function mapSentrySpan(span) {
  if (span.attributes['sentry.op'] !== 'http.client') return undefined; // the default mapping
  return { name: 'http', description: String(span.attributes['http.request.method'] ?? '') };
}

Sentry.init({
  // Sentry sets up its integrations (the http one makes the request spans) only with a DSN. This example
  // sends nothing: a placeholder DSN unless SENTRY_DSN is set, and a transport that drops every envelope.
  dsn: process.env.SENTRY_DSN || 'https://public@sentry.invalid/1',
  transport: process.env.SENTRY_DSN
    ? undefined
    : () => ({ send: () => Promise.resolve({}), flush: () => Promise.resolve(true) }),
  tracesSampleRate: 1.0,
  openTelemetrySpanProcessors: [new ServerTimingSpanProcessor({ mapSpan: mapSentrySpan })],
});
