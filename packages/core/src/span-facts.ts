import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** A framework instrumentation's type attribute, with the values that name a request handler. */
type FrameworkType = { readonly rank: number; readonly handlers: readonly string[] };

const EXPRESS: FrameworkType = { rank: 0, handlers: ['request_handler'] };
const ROUTER: FrameworkType = { rank: 1, handlers: ['request_handler'] };
const FASTIFY: FrameworkType = { rank: 2, handlers: ['request-handler', 'request_handler', 'handler'] };
// instrumentation-koa's `router` spans are the @koa/router route layers that run the route's handler.
const KOA: FrameworkType = { rank: 3, handlers: ['router'] };
// instrumentation-hapi's `router` spans are the route handlers.
const HAPI: FrameworkType = { rank: 4, handlers: ['router'] };
const RESTIFY: FrameworkType = { rank: 5, handlers: ['request_handler'] };
const CONNECT: FrameworkType = { rank: 6, handlers: ['request_handler'] };
const NESTJS: FrameworkType = { rank: 7, handlers: ['handler'] };
const NO_RANK = 8;

/**
 * The framework instrumentations' type attributes, in order of preference when a span carries several;
 * every value that does not name a handler is middleware (a middleware, a router layer, a hook, a plugin,
 * the framework's request pipeline). A `switch` rather than a `Map`: it runs for each key that may be one.
 * `SpanFacts.read` asks only for keys by their first character: a key added here needs its first
 * character among those it passes on.
 */
function frameworkType(key: string): FrameworkType | undefined {
  switch (key) {
    case 'express.type':
      return EXPRESS;
    case 'router.type':
      return ROUTER;
    case 'fastify.type':
      return FASTIFY;
    case 'koa.type':
      return KOA;
    case 'hapi.type':
      return HAPI;
    case 'restify.type':
      return RESTIFY;
    case 'connect.type':
      return CONNECT;
    case 'nestjs.type':
      return NESTJS;
    default:
      return undefined;
  }
}

/**
 * `list.includes(value)` for a list of a few strings, as a loop the engine compiles in place rather than a
 * call of the `includes` builtin (about 40 instructions a framework span, under callgrind).
 */
function isOneOf(value: string, list: readonly string[]): boolean {
  for (let index = 0; index < list.length; index++) if (list[index] === value) return true;
  return false;
}

/**
 * What the default mapping reads from a span, gathered in one pass over the attributes it has rather
 * than a look-up for each attribute a rule names: most of those are absent, and in a service (attribute
 * objects of many shapes) each absent key is a megamorphic look-up. Values are read only for the keys
 * the rules use. One instance is reused for every span (the mapping never runs re-entrantly).
 */
export class SpanFacts {
  /** `db.system.name`, or the older `db.system`. */
  database: unknown;
  /** The span names a database operation or query (not a connection or a pool checkout). */
  databaseOperation = false;
  /** `sentry.origin`: where Sentry's SDK says the span comes from (`manual`, `auto.db.otel.postgres`, …). */
  sentryOrigin: string | undefined;
  /** `http.request.method`, or the older `http.method`. */
  httpMethod: unknown;
  /** `url.full`, or the older `http.url`. */
  url: unknown;
  rpc = false;
  messaging = false;
  /** Attributes of instrumentation-graphql (`graphql.*`). */
  graphql = false;
  /** `@fastify/otel`'s span of the whole request. */
  fastifyRoot = false;
  /** The framework type attribute's value (`express.type`, …), or `undefined`. */
  step: string | undefined;
  /** The step is a request handler (by its type attribute's value). */
  stepIsHandler = false;
  /** Next.js's `next.span_type`, or `undefined`. */
  nextSpanType: unknown;

  read(span: ReadableSpan): this {
    let databaseName: unknown;
    let databaseSystem: unknown;
    let httpMethod: unknown;
    let legacyHttpMethod: unknown;
    let url: unknown;
    let legacyUrl: unknown;
    let stepRank = NO_RANK;
    this.databaseOperation = false;
    this.sentryOrigin = undefined;
    this.rpc = false;
    this.messaging = false;
    this.graphql = false;
    this.fastifyRoot = false;
    this.step = undefined;
    this.stepIsHandler = false;
    this.nextSpanType = undefined;
    const attributes = span.attributes;
    for (const key in attributes) {
      // The key's first character narrows the names it can be to a few, rather than a comparison with
      // every name a rule reads (about 20 instructions fewer a key, under callgrind).
      switch (key.charCodeAt(0)) {
        case 100: // d
          switch (key) {
            case 'db.system.name':
              databaseName = attributes[key];
              break;
            case 'db.system':
              databaseSystem = attributes[key];
              break;
            case 'db.query.text':
            case 'db.query.summary':
            case 'db.statement':
            case 'db.operation.name':
            case 'db.operation':
              this.databaseOperation = true;
          }
          break;
        case 104: // h
          if (key === 'http.request.method') httpMethod = attributes[key];
          else if (key === 'http.method') legacyHttpMethod = attributes[key];
          else if (key === 'http.url') legacyUrl = attributes[key];
          else stepRank = this.#readStep(key, attributes[key], stepRank);
          break;
        case 117: // u
          if (key === 'url.full') url = attributes[key];
          break;
        case 115: // s
          if (key === 'sentry.origin') {
            const origin = attributes[key];
            if (typeof origin === 'string') this.sentryOrigin = origin;
          }
          break;
        case 114: // r
          if (key === 'rpc.system') this.rpc = attributes[key] !== undefined;
          else stepRank = this.#readStep(key, attributes[key], stepRank);
          break;
        case 109: // m
          if (key === 'messaging.system') this.messaging = attributes[key] !== undefined;
          break;
        case 110: // n
          if (key === 'next.span_type') this.nextSpanType = attributes[key];
          else stepRank = this.#readStep(key, attributes[key], stepRank);
          break;
        case 102: // f
          if (key === 'fastify.root') this.fastifyRoot = attributes[key] !== undefined;
          else stepRank = this.#readStep(key, attributes[key], stepRank);
          break;
        case 103: // g
          if (key.startsWith('graphql.')) this.graphql = true;
          break;
        case 99: // c
        case 101: // e
        case 107: // k
          stepRank = this.#readStep(key, attributes[key], stepRank);
      }
    }
    this.database = databaseName ?? databaseSystem;
    this.httpMethod = httpMethod ?? legacyHttpMethod;
    this.url = url ?? legacyUrl;
    return this;
  }

  /**
   * Takes `key` as the framework type attribute if it is one and outranks the one seen so far (rank
   * `rank`); returns the rank of the type now taken.
   */
  #readStep(key: string, value: unknown, rank: number): number {
    const type = frameworkType(key);
    if (type === undefined || type.rank >= rank || typeof value !== 'string') return rank;
    this.step = value;
    this.stepIsHandler = isOneOf(value, type.handlers);
    return type.rank;
  }
}
