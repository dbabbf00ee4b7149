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
 * The semantic-convention rules above, in order: the first that decides wins. Called one by one rather
 * than from a list, so that each call site sees one function and the engine can inline it (this runs for
 * every span of a request).
 */
const bySemanticConventions: SpanRule = (span, facts) => {
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
  return messaging(span, facts);
};

/**
 * The default mapping's rules, in order; the first that decides wins, else the span is named after
 * itself. Rules for other span sources go in files of their own and take their place here.
 */
export const DEFAULT_SPAN_RULES: readonly SpanRule[] = [
  bySemanticConventions,
  nextJsSpans,
  instrumentationInternals,
];

/** The class of a span that no rule decided: its name made into a metric name. */
export function namedAfterItself(span: ReadableSpan): SpanClass {
  return namedSpans.get(span.name);
}

/**
 * Whether an instrumentation library made the span. Sentry's SDK makes every span, its instrumentations'
 * and the application's, under its own tracer (`@sentry/node`): there `sentry.origin` tells them apart
 * (`manual` for the application's), and a Sentry span without one (a pool checkout) is an instrumentation's.
 */
function fromInstrumentation(span: ReadableSpan, facts: SpanFacts): boolean {
  const scope = span.instrumentationScope?.name;
  if (scope?.startsWith('@sentry/')) return facts.sentryOrigin !== 'manual';
  if (facts.sentryOrigin?.startsWith('auto.')) return true;
  return isInstrumentationScope(scope);
}

const INSTRUMENTATION_SCOPE = /^@opentelemetry\/instrumentation-|[/-](otel|instrumentation)$/;
const scopeKinds = new Map<string, boolean>();

/**
 * Whether a tracer's name is an instrumentation library's: `@opentelemetry/instrumentation-*`, or a
 * package named `…/otel`, `…/instrumentation` or `…-instrumentation` (`@fastify/otel`,
 * `@prisma/instrumentation`). The application's own tracers have other names.
 */
function isInstrumentationScope(name: string | undefined): boolean {
  if (name === undefined) return false;
  let known = scopeKinds.get(name);
  if (known === undefined) {
    known = INSTRUMENTATION_SCOPE.test(name);
    if (scopeKinds.size < 256) scopeKinds.set(name, known);
  }
  return known;
}
