import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { nextJsSpans } from './next-span-metric-name.js';
import { layers, namedSpans, operations, type SpanClass } from './span-class.js';
import type { SpanFacts } from './span-facts.js';

/**
 * One rule of the default mapping: the class of a span (its metric name and role), `null` to leave the
 * span out, or `undefined` when the rule has nothing to say and the next rule decides.
 */
export type SpanRule = (span: ReadableSpan, facts: SpanFacts) => SpanClass | null | undefined;

const MIDDLEWARE = layers.get('middleware');
const HANDLER = layers.get('handler');
const GRAPHQL = layers.get('graphql');
const HTTP = operations.get('http');
const RPC = operations.get('rpc');
const MESSAGING = operations.get('messaging');

/**
 * Spans that restate the whole request rather than a part of it: a `SERVER` span beneath the request's
 * root (e.g. `@hono/otel` under instrumentation-http) and `@fastify/otel`'s request span. As metrics they
 * would only repeat `total`.
 */
const wholeRequest: SpanRule = (span, facts) =>
  span.kind === SpanKind.SERVER || facts.fastifyRoot ? null : undefined;

/**
 * Database spans by their system (`postgresql`, `redis`, …). An instrumentation's database span that
 * names no operation or query (`pg.connect`, `pg-pool.connect`, `redis-connect`) is connection plumbing,
 * whose time belongs to the query it served; the application's own database spans always count.
 */
const database: SpanRule = (span, facts) => {
  if (facts.database === undefined) return undefined;
  if (!facts.databaseOperation && fromInstrumentation(span, facts)) return null;
  return operations.get(String(facts.database));
};

/**
 * Web framework steps, known by their instrumentation's type attribute (`express.type`, `router.type`,
 * `koa.type`, `fastify.type`, `hapi.type`, `nestjs.type`, …): `handler` or `middleware`. Checked before
 * HTTP, since NestJS's request span carries a method and a URL too.
 */
const frameworkStep: SpanRule = (_span, facts) => {
  if (facts.step === undefined) return undefined;
  return facts.stepIsHandler ? HANDLER : MIDDLEWARE;
};

/** instrumentation-graphql's parse, validate, execute and resolve spans: one `graphql` layer. */
const graphql: SpanRule = (_span, facts) => (facts.graphql ? GRAPHQL : undefined);

/**
 * An outgoing HTTP call: a `CLIENT` span with an HTTP method, or a span with a method and a full URL
 * (Sentry's HTTP integration makes such spans `INTERNAL`).
 */
const httpClient: SpanRule = (span, facts) =>
  facts.httpMethod !== undefined && (span.kind === SpanKind.CLIENT || facts.url !== undefined)
    ? HTTP
    : undefined;

// SERVER spans never get here (`wholeRequest` decided them first).
const rpc: SpanRule = (_span, facts) => (facts.rpc ? RPC : undefined);

const messaging: SpanRule = (_span, facts) => (facts.messaging ? MESSAGING : undefined);

/**
 * A span of an instrumentation library that no convention above recognised (`tcp.connect`, `dns.lookup`,
 * `generic-pool.acquire`, `dataloader.load`…) is its internal working, not work of the application: its
 * name would mean nothing in the header. The work it leads to (the queries a DataLoader batch runs) has
 * spans of its own.
 */
const instrumentationInternals: SpanRule = (span, facts) =>
  fromInstrumentation(span, facts) ? null : undefined;

/**
 * The default mapping (see `classifySpan`): the semantic-convention rules above, then the rules for other
 * span sources (each in a file of its own), then the instrumentations' internals; the first that decides
 * wins, else the span is named after itself. Called one by one rather than from a list, so that each call
 * site sees one function and the engine can inline it (this runs for every span of a request).
 */
export function defaultSpanClass(span: ReadableSpan, facts: SpanFacts): SpanClass | null {
  let decided = wholeRequest(span, facts);
  if (decided !== undefined) return decided;
  decided = database(span, facts);
  if (decided !== undefined) return decided;
  decided = frameworkStep(span, facts);
  if (decided !== undefined) return decided;
  decided = graphql(span, facts);
  if (decided !== undefined) return decided;
  decided = httpClient(span, facts);
  if (decided !== undefined) return decided;
  decided = rpc(span, facts);
  if (decided !== undefined) return decided;
  decided = messaging(span, facts);
  if (decided !== undefined) return decided;
  decided = nextJsSpans(span, facts);
  if (decided !== undefined) return decided;
  decided = instrumentationInternals(span, facts);
  if (decided !== undefined) return decided;
  return namedSpans.get(span.name);
}

/** Who made the spans of a tracer, by the tracer's name. */
const APPLICATION = 0;
const INSTRUMENTATION = 1;
/** Sentry's single tracer: its spans say themselves where they come from (`sentry.origin`). */
const SENTRY = 2;
type ScopeKind = typeof APPLICATION | typeof INSTRUMENTATION | typeof SENTRY;

/**
 * Whether an instrumentation library made the span. Sentry's SDK makes every span, its instrumentations'
 * and the application's, under its own tracer (`@sentry/node`): there `sentry.origin` tells them apart
 * (`manual` for the application's), and a Sentry span without one (a pool checkout) is an instrumentation's.
 */
function fromInstrumentation(span: ReadableSpan, facts: SpanFacts): boolean {
  const kind = scopeKind(span.instrumentationScope?.name);
  if (kind === SENTRY) return facts.sentryOrigin !== 'manual';
  return kind === INSTRUMENTATION || facts.sentryOrigin?.startsWith('auto.') === true;
}

const INSTRUMENTATION_SCOPE = /^@opentelemetry\/instrumentation-|[/-](otel|instrumentation)$/;
const scopeKinds = new Map<string, ScopeKind>();
/** The tracer name asked about last, with its answer. */
const lastScope: { name: string | undefined; kind: ScopeKind } = { name: undefined, kind: APPLICATION };

/**
 * What a tracer's name says of its spans, worked out once per name: Sentry's (`@sentry/…`), an
 * instrumentation library's (`@opentelemetry/instrumentation-*`, or a package named `…/otel`,
 * `…/instrumentation` or `…-instrumentation`: `@fastify/otel`, `@prisma/instrumentation`), or the
 * application's own (any other name).
 */
function scopeKind(name: string | undefined): ScopeKind {
  if (name === undefined) return APPLICATION;
  // The spans of one tracer often end one after another: a comparison answers them, not a Map look-up.
  if (name === lastScope.name) return lastScope.kind;
  let kind = scopeKinds.get(name);
  if (kind === undefined) {
    kind = name.startsWith('@sentry/')
      ? SENTRY
      : INSTRUMENTATION_SCOPE.test(name)
        ? INSTRUMENTATION
        : APPLICATION;
    if (scopeKinds.size < 256) scopeKinds.set(name, kind);
  }
  lastScope.name = name;
  lastScope.kind = kind;
  return kind;
}
