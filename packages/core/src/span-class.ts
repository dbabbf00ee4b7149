import { toMetricName } from './token.js';

/**
 * What a span's time is, as the header sees it:
 * - `operation`: a call out of the process (a database query or command, an outgoing HTTP or RPC call, a
 *   message sent). Spans started beneath it are part of it and add no metric of their own.
 * - `layer`: a step of the web framework (middleware, router layer, hook, handler) or of a GraphQL
 *   execution. Layers nest (Koa, routers, GraphQL resolvers), so by default a layer metric is its own
 *   (self) time: the time its spans ran, less the time of the other metrics' spans they contain.
 * - `span`: anything else, such as the application's own spans, named after the span.
 */
export type SpanRole = 'operation' | 'layer' | 'span';

/** A metric name with the role of the spans that map to it. Shared: never mutate one. */
export type SpanClass = { readonly name: string; readonly role: SpanRole };

/** Metric names that carry a meaning of their own in the header; a span never takes one of them. */
const RESERVED_NAMES = new Set(['total', 'other', 'traceparent', 'trace']);

/** Most distinct names remembered per role, so high-cardinality names cannot grow memory without bound. */
const CACHE_LIMIT = 1024;

/**
 * Made-safe metric names with their role, remembered per raw name: a name is sanitised once, not once per
 * span, and a span's class is a shared object rather than a new one.
 */
export class SpanClassCache {
  readonly #role: SpanRole;
  readonly #classes = new Map<string, SpanClass>();
  /** The raw name asked about last, with its class. */
  #lastRaw: string | undefined;
  #lastClass: SpanClass | undefined;

  constructor(role: SpanRole) {
    this.#role = role;
  }

  get(raw: string): SpanClass {
    // Spans of one name often come one after another: a comparison answers them, not a Map look-up.
    if (raw === this.#lastRaw) return this.#lastClass as SpanClass;
    let spanClass = this.#classes.get(raw);
    if (spanClass === undefined) {
      let name = toMetricName(raw);
      if (RESERVED_NAMES.has(name)) name = `${name}_`;
      spanClass = { name, role: this.#role };
      if (this.#classes.size < CACHE_LIMIT) this.#classes.set(raw, spanClass);
    }
    this.#lastRaw = raw;
    this.#lastClass = spanClass;
    return spanClass;
  }
}

// Marked pure so that bundles which use nothing from this file (the browser reader) drop it.
export const operations = /* @__PURE__ */ new SpanClassCache('operation');
export const layers = /* @__PURE__ */ new SpanClassCache('layer');
export const namedSpans = /* @__PURE__ */ new SpanClassCache('span');
