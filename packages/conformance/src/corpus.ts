import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { CorpusCase } from './check.js';

/** A corpus case with what the README table says of it. */
export type CorpusEntry = CorpusCase & {
  /** What the application did in the case's request, for the table. */
  did: string;
  /** What one counted operation is, for the table. */
  counted: string;
};

const hasQuery = (span: ReadableSpan) =>
  span.attributes['db.query.text'] !== undefined || span.attributes['db.operation.name'] !== undefined;
const database = (system: string) => (span: ReadableSpan) =>
  span.attributes['db.system.name'] === system && hasQuery(span);
/** The spans that match and whose parent does not: an operation, not the spans it is made of. */
const outermost =
  (matches: (span: ReadableSpan) => boolean) => (span: ReadableSpan, spans: readonly ReadableSpan[]) =>
    matches(span) &&
    !spans.some(
      (parent) => parent.spanContext().spanId === span.parentSpanContext?.spanId && matches(parent),
    );
/** instrumentation-pg's query spans (not its connect and pool-checkout spans). */
const pgQuery = (span: ReadableSpan) => span.name.startsWith('pg.query');
const httpCall = (span: ReadableSpan) =>
  span.kind === SpanKind.CLIENT && span.attributes['http.request.method'] !== undefined;
const rpcCall = (span: ReadableSpan) =>
  span.kind === SpanKind.CLIENT && span.attributes['rpc.system'] !== undefined;

const LAYERS = ['middleware', 'handler'];
/** What the web apps must not give away: the downstream URL and its query string. */
const URL_PARTS = ['token=', 'secret', '127.0.0.1:', 'localhost'];
const ONE_CALL = [{ metric: 'http', count: 1, isOperation: httpCall }];

/**
 * The corpus: one entry per instrumentation (or group of instrumentations that one request exercises),
 * as the tests check it and as the README's table "What your instrumentations become" shows it. A test
 * compares each entry with a real request; the README test compares the table with these entries.
 */
export const CORPUS = {
  pg: {
    instrumentation: 'pg + pg-pool',
    did: '3 queries through a `pg.Pool` on PostgreSQL 15',
    counted: 'a query (`pg.query:*`)',
    work: [{ metric: 'postgresql', count: 3, isOperation: pgQuery }],
    leftOut: ['pg-pool.connect'],
    secrets: ['user_id', 'user:42', 'pg_class', 'secret', '$1'],
  },
  net: {
    instrumentation: 'net',
    did: 'a `pg.Client` connected, queried once and closed during the request',
    counted: 'the query; connecting is part of the request, not work of its own',
    work: [{ metric: 'postgresql', count: 1, isOperation: pgQuery }],
    leftOut: ['pg.connect', 'tcp.connect'],
    secrets: ['SELECT 1'],
  },
  knex: {
    instrumentation: 'knex',
    did: 'a query builder query and a raw query on PostgreSQL',
    counted: 'a knex query (the pg spans beneath it are part of it)',
    work: [
      {
        metric: 'postgresql',
        count: 2,
        isOperation: (span) => span.instrumentationScope.name === '@opentelemetry/instrumentation-knex',
      },
    ],
    leftOut: ['pg.query'],
    secrets: ['SELECT 1', 'count(*)'],
  },
  dataloader: {
    instrumentation: 'dataloader',
    did: 'three `load()` calls batched into one query',
    counted: "the batch function's query",
    work: [{ metric: 'postgresql', count: 1, isOperation: pgQuery }],
    leftOut: ['dataloader.load', 'dataloader.batch'],
    secrets: ['unnest', 'int[]'],
  },
  genericPool: {
    instrumentation: 'generic-pool',
    did: 'a resource acquired from a pool, then one query',
    counted: 'the query',
    work: [{ metric: 'postgresql', count: 1, isOperation: pgQuery }],
    leftOut: ['generic-pool.acquire'],
    secrets: ['SELECT 1'],
  },
  mysql2: {
    instrumentation: 'mysql2',
    did: '2 queries through a mysql2 pool on MariaDB',
    counted: 'a query',
    work: [{ metric: 'mysql', count: 2, isOperation: database('mysql') }],
    secrets: ['user_id', 'SELECT 1', '?'],
  },
  mysql: {
    instrumentation: 'mysql',
    did: "2 queries through the older `mysql` driver's pool on MariaDB",
    counted: "a query (the connection's query span beneath the pool's is part of it)",
    work: [{ metric: 'mysql', count: 2, isOperation: outermost(database('mysql')) }],
    secrets: ['user_id', 'SELECT 1', '?'],
  },
  ioredis: {
    instrumentation: 'ioredis',
    did: 'SET, GET and DEL on Redis 7',
    counted: 'a command',
    work: [{ metric: 'redis', count: 3, isOperation: database('redis') }],
    secrets: ['user:42', 'Ada'],
  },
  redis: {
    instrumentation: 'redis',
    did: 'SET and GET through node-redis 5 on Redis 7',
    counted: 'a command',
    work: [{ metric: 'redis', count: 2, isOperation: database('redis') }],
    secrets: ['user:42', 'Ada'],
  },
  memcached: {
    instrumentation: 'memcached',
    did: 'set and get on memcached',
    counted: 'a command',
    work: [{ metric: 'memcached', count: 2, isOperation: database('memcached') }],
    secrets: ['user:42', 'Ada'],
  },
  http: {
    instrumentation: 'http + dns + net',
    did: '`http.get` of another local service by host name, on a new connection',
    counted: 'an outgoing request (its dns lookup and tcp connect are part of it)',
    work: ONE_CALL,
    leftOut: ['dns.lookup', 'tcp.connect'],
    secrets: URL_PARTS,
  },
  undici: {
    instrumentation: 'undici',
    did: 'a `fetch()` of another local service',
    counted: 'an outgoing request',
    work: ONE_CALL,
    secrets: URL_PARTS,
  },
  grpc: {
    instrumentation: 'grpc',
    did: 'a unary call to a local `@grpc/grpc-js` server',
    counted: 'a client call',
    work: [{ metric: 'rpc', count: 1, isOperation: rpcCall }],
    secrets: ['Ada', 'id":'],
  },
  express: {
    instrumentation: 'express + router',
    did: 'Express 5 with the adapter, `express.json()`, a named middleware and a router; the route fetches once (also when it throws)',
    counted: 'the outgoing request; layers show as their own time',
    work: ONE_CALL,
    layers: LAYERS,
    secrets: URL_PARTS,
  },
  connect: {
    instrumentation: 'connect',
    did: 'Connect 3 with a named middleware; the route fetches once',
    counted: 'the outgoing request; middleware and handler show as their own time',
    work: ONE_CALL,
    layers: LAYERS,
    secrets: URL_PARTS,
  },
  restify: {
    instrumentation: 'restify',
    did: 'restify 11 with a `pre` handler and a named `use` handler; the route fetches once',
    counted: 'the outgoing request; handlers show as their own time',
    work: ONE_CALL,
    layers: LAYERS,
    secrets: URL_PARTS,
  },
  fastify: {
    instrumentation: 'fastify (`@fastify/otel`)',
    did: 'Fastify 5 with the plugin and a `preHandler` hook; the route fetches once',
    counted: 'the outgoing request; hooks and handler show as their own time',
    work: ONE_CALL,
    layers: LAYERS,
    leftOut: ['request'],
    secrets: URL_PARTS,
  },
  koa: {
    instrumentation: 'koa',
    did: 'Koa 3 with the adapter, a wrapping middleware and `@koa/router`; the route fetches once',
    counted: 'the outgoing request; nested middleware shows as its own time',
    work: ONE_CALL,
    layers: LAYERS,
    secrets: URL_PARTS,
  },
  nestjs: {
    instrumentation: 'nestjs-core',
    did: 'NestJS 11 on Express; a controller route fetches once, another throws a 404',
    counted: 'the outgoing request; the request context and handler show as their own time',
    work: ONE_CALL,
    layers: LAYERS,
    secrets: URL_PARTS,
  },
  hapi: {
    instrumentation: 'hapi',
    did: 'hapi 21 with an `onPreHandler` extension; the route fetches once',
    counted: 'the outgoing request; extensions and the route handler show as their own time',
    work: ONE_CALL,
    layers: LAYERS,
    secrets: URL_PARTS,
  },
  graphql: {
    instrumentation: 'graphql',
    did: 'a GraphQL query whose resolver fetches once',
    counted: 'the outgoing request; parse, validate, execute and resolvers show as `graphql`, their own time',
    work: ONE_CALL,
    layers: ['graphql'],
    secrets: [...URL_PARTS, 'user(id', 'id: "42"'],
  },
  register: {
    instrumentation: 'register (zero-code: express, router, pg, ioredis, undici, dns, net)',
    did: 'an unmodified Express 5 app under `@otel-server-timing/node/register`, CommonJS (`--require`) and ESM (`--import`): 2 queries, 1 Redis read, 1 fetch',
    counted: 'queries, commands and the outgoing request; layers show as their own time',
    work: [
      { metric: 'postgresql', count: 2, isOperation: pgQuery },
      { metric: 'redis', count: 1, isOperation: database('redis') },
      { metric: 'http', count: 1, isOperation: httpCall },
    ],
    layers: LAYERS,
    leftOut: ['pg-pool.connect'],
    secrets: ['$1', 'user:42', 'token=', 'localhost', 'debug'],
  },
} as const satisfies Record<string, CorpusEntry>;
