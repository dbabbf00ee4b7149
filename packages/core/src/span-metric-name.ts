import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { nextSpanMetricName } from './next-span-metric-name.js';
import { toMetricName } from './token.js';

/** Metric names that carry a meaning of their own in the header; a span never takes one of them. */
const RESERVED_NAMES = new Set(['total', 'other', 'traceparent', 'trace']);

/**
 * The function name of the adapters' own middleware (Express, Koa) or hook (Fastify): framework
 * instrumentations make a span of it, which would only time this library.
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

/**
 * Rank of the attributes that web framework instrumentations set to say what kind of step a span is
 * (`express.type`, `fastify.type`, …); when a span has several, the lowest rank counts. `NO_STEP` for
 * any other key.
 */
const NO_STEP = 7;
function frameworkTypeRank(key: string): number {
  switch (key) {
    case 'express.type':
      return 0;
    case 'fastify.type':
      return 1;
    case 'koa.type':
      return 2;
    case 'hapi.type':
      return 3;
    case 'restify.type':
      return 4;
    case 'connect.type':
      return 5;
    case 'nestjs.type':
      return 6;
    default:
      return NO_STEP;
  }
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
  const kind = span.kind;
  if (kind === SpanKind.SERVER) return null;
  // One pass over the attributes the span has, rather than a look-up for each attribute the rules name:
  // most of those are absent, and in a service (attribute objects of many shapes) each absent key is a
  // megamorphic look-up. Values are read only for the keys the rules use.
  const attributes = span.attributes;
  let databaseName: unknown;
  let databaseSystem: unknown;
  let httpMethod: unknown;
  let legacyHttpMethod: unknown;
  let url: unknown;
  let legacyUrl: unknown;
  let rpc = false;
  let messaging = false;
  let step: string | undefined;
  let stepRank = NO_STEP;
  for (const key in attributes) {
    switch (key) {
      case 'fastify.root':
        if (attributes[key] !== undefined) return null;
        break;
      case 'db.system.name':
        databaseName = attributes[key];
        break;
      case 'db.system':
        databaseSystem = attributes[key];
        break;
      case 'http.request.method':
        httpMethod = attributes[key];
        break;
      case 'http.method':
        legacyHttpMethod = attributes[key];
        break;
      case 'url.full':
        url = attributes[key];
        break;
      case 'http.url':
        legacyUrl = attributes[key];
        break;
      case 'rpc.system':
        rpc = attributes[key] !== undefined;
        break;
      case 'messaging.system':
        messaging = attributes[key] !== undefined;
        break;
      default: {
        const rank = frameworkTypeRank(key);
        if (rank < stepRank) {
          const value = attributes[key];
          if (typeof value === 'string') {
            stepRank = rank;
            step = value;
          }
        }
      }
    }
  }
  const database = databaseName ?? databaseSystem;
  if (database !== undefined) return databaseSystems.get(String(database));
  // An outgoing HTTP call: a `CLIENT` span with an HTTP method, or a span with a method and a full URL
  // (Sentry's HTTP integration makes such spans `INTERNAL`).
  if (
    (httpMethod ?? legacyHttpMethod) !== undefined &&
    (kind === SpanKind.CLIENT || (url ?? legacyUrl) !== undefined)
  ) {
    return 'http';
  }
  if (rpc) return 'rpc';
  if (messaging) return 'messaging';
  if (step !== undefined) {
    if (span.name.endsWith(OWN_MIDDLEWARE)) return null;
    return step.includes('handler') ? 'handler' : 'middleware';
  }
  const nextJs = nextSpanMetricName(span);
  return nextJs === undefined ? spanNames.get(span.name) : nextJs;
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
