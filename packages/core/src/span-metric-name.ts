import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { namedSpans, type SpanClass } from './span-class.js';
import { SpanFacts } from './span-facts.js';
import { defaultSpanClass } from './span-rules.js';

const facts = /* @__PURE__ */ new SpanFacts();

/**
 * The class of a span under the default mapping (its metric name and role), or `null` to leave it out.
 * The rules ({@link defaultSpanClass}) follow the semantic conventions and the instrumentations' own
 * type attributes, never span names.
 */
export function classifySpan(span: ReadableSpan): SpanClass | null {
  return defaultSpanClass(span, facts.read(span));
}

/**
 * The default metric name of a span, from the semantic conventions:
 * - database operations: the database system (`db.system.name`, or the older `db.system`), e.g.
 *   `postgresql`, `redis`; database spans that name no operation or query (connections, pool checkouts)
 *   are left out;
 * - HTTP client spans: `http`; RPC client spans: `rpc`; messaging spans: `messaging`;
 * - web framework steps (`express.type`, `router.type`, `fastify.type`, `koa.type`, `hapi.type`,
 *   `nestjs.type`, …): `handler` for request handlers, `middleware` for everything else; GraphQL: `graphql`;
 * - other spans of instrumentation libraries (`tcp.connect`, `dns.lookup`, pool acquisitions…): left out;
 * - anything else (the application's own spans): the span name made into a header token.
 *
 * The names `total`, `other`, `traceparent` and `trace` are never returned (a trailing `_` is added), so a
 * span cannot pass itself off as the trace context.
 *
 * Returns `null` (leave the span out) for spans that restate the whole request rather than a part of it
 * (a `SERVER` span beneath the request's root, e.g. `@hono/otel` under instrumentation-http, and the
 * request span of `@fastify/otel`: as metrics they would only repeat `total`), for an instrumentation's
 * database spans that name no query (connects, pool checkouts), for other spans of instrumentation
 * libraries that no convention recognises, and for Next.js spans of no listed `next.span_type`.
 */
export function defaultSpanMetricName(span: ReadableSpan): string | null {
  const spanClass = classifySpan(span);
  return spanClass === null ? null : spanClass.name;
}

/**
 * The default description of a span: its name, except for outgoing HTTP calls, whose names some
 * instrumentations make of the whole URL (query string included): those get the method alone.
 */
export function defaultSpanDescription(span: ReadableSpan, metricName: string): string {
  if (metricName !== 'http') return span.name;
  return String(span.attributes['http.request.method'] ?? span.attributes['http.method'] ?? span.name);
}

/** A metric name chosen by a user's mapping, made safe the same way as span names. */
export function safeMetricName(raw: string): string {
  return namedSpans.get(raw).name;
}
