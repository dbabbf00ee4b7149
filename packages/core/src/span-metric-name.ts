import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { toMetricName } from './token.js';

/** Metric names that carry a meaning of their own in the header; a span never takes one of them. */
const RESERVED_NAMES = new Set(['total', 'other', 'traceparent', 'trace']);

/** Attributes that web framework instrumentations set to say what kind of step a span is. */
const FRAMEWORK_TYPE_ATTRIBUTES = [
  'express.type',
  'fastify.type',
  'koa.type',
  'hapi.type',
  'restify.type',
  'connect.type',
  'nestjs.type',
] as const;

/**
 * The function name of the Express and Koa adapters' middleware: framework instrumentations make a span
 * of it, which would only time this library.
 */
const OWN_MIDDLEWARE = 'serverTimingMiddleware';

/** Most distinct span names or database systems whose metric names are remembered. */
const NAME_CACHE_LIMIT = 1024;

/**
 * Remembers `toMetricName` results so that a name is sanitised once, not once per span. Stops adding
 * when full, so high-cardinality names cannot grow memory without bound.
 */
class MetricNameCache {
  readonly #names = new Map<string, string>();

  get(raw: string): string {
    let name = this.#names.get(raw);
    if (name === undefined) {
      name = toMetricName(raw);
      if (RESERVED_NAMES.has(name)) name = `${name}_`;
      if (this.#names.size < NAME_CACHE_LIMIT) this.#names.set(raw, name);
    }
    return name;
  }
}

// Marked pure so that bundles which use nothing from this file (the browser reader) drop it.
const spanNames = /* @__PURE__ */ new MetricNameCache();
const databaseSystems = /* @__PURE__ */ new MetricNameCache();

function frameworkStep(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  return type.includes('handler') ? 'handler' : 'middleware';
}

/**
 * The default metric name of a span, from the semantic conventions:
 * - database client spans: the database system (`db.system.name`, or the older `db.system`), e.g. `postgresql`, `redis`;
 * - HTTP client spans: `http`; RPC spans: `rpc`; messaging spans: `messaging`;
 * - web framework steps (`express.type`, `fastify.type`, `koa.type`, …): `handler` for request handlers,
 *   `middleware` for everything else (middleware, routers, hooks);
 * - anything else: the span name made into a header token.
 *
 * The names `total`, `other`, `traceparent` and `trace` are never returned (a trailing `_` is added), so a
 * span cannot pass itself off as the trace context.
 *
 * Returns `null` (leave the span out) for spans that restate the whole request rather than a part of it:
 * a `SERVER` span beneath the request's root (e.g. `@hono/otel` under instrumentation-http) and the
 * request span of `@fastify/otel` (`fastify.root`). As metrics they would only repeat `total`. The span
 * that framework instrumentations make of this library's own middleware is left out too.
 */
export function defaultSpanMetricName(span: ReadableSpan): string | null {
  const attributes = span.attributes;
  if (span.kind === SpanKind.SERVER || attributes['fastify.root'] !== undefined) return null;
  const database = attributes['db.system.name'] ?? attributes['db.system'];
  if (database !== undefined) return databaseSystems.get(String(database));
  if (isHttpClientSpan(span)) return 'http';
  if (attributes['rpc.system'] !== undefined) return 'rpc';
  if (attributes['messaging.system'] !== undefined) return 'messaging';
  for (const key of FRAMEWORK_TYPE_ATTRIBUTES) {
    const step = frameworkStep(attributes[key]);
    if (step !== undefined) return span.name.endsWith(OWN_MIDDLEWARE) ? null : step;
  }
  return spanNames.get(span.name);
}

/**
 * An outgoing HTTP call: a `CLIENT` span with an HTTP method, or a span with a method and a full URL
 * (Sentry's HTTP integration makes such spans `INTERNAL`).
 */
function isHttpClientSpan(span: ReadableSpan): boolean {
  const attributes = span.attributes;
  if ((attributes['http.request.method'] ?? attributes['http.method']) === undefined) return false;
  return span.kind === SpanKind.CLIENT || (attributes['url.full'] ?? attributes['http.url']) !== undefined;
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
  return spanNames.get(raw);
}
