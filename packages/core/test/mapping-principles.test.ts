import { type Context, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { markOwnWork } from '../src/own-work.js';
import { parseServerTiming } from '../src/parse.js';
import type { ServerTimingProcessorOptions } from '../src/types.js';
import { createTracing, startRequest } from './sdk.js';

const T0 = Date.now();

/**
 * The default mapping's principles, on spans shaped like the ones real instrumentations make (names,
 * kinds, attributes and nesting as seen in the conformance corpus, packages/conformance).
 */

type SpanShape = {
  name: string;
  start: number;
  end: number;
  attributes?: Record<string, string | number>;
  kind?: SpanKind;
  scope?: string;
  children?: SpanShape[];
  own?: boolean;
};

function record(
  tracer: Tracer,
  provider: ReturnType<typeof createTracing>['provider'],
  parent: Context,
  shape: SpanShape,
): void {
  const spanTracer = shape.scope === undefined ? tracer : provider.getTracer(shape.scope);
  const span = spanTracer.startSpan(
    shape.name,
    {
      startTime: T0 + shape.start,
      attributes: shape.attributes ?? {},
      kind: shape.kind ?? SpanKind.INTERNAL,
    },
    parent,
  );
  if (shape.own === true) markOwnWork(span);
  for (const child of shape.children ?? []) record(tracer, provider, trace.setSpan(parent, span), child);
  span.end(T0 + shape.end);
}

function headerOf(
  shapes: SpanShape[],
  options?: ServerTimingProcessorOptions,
): Record<string, { duration: number; description: string }> {
  const { processor, tracer, provider } = createTracing({ traceContext: 'none', total: false, ...options });
  const { ctx } = startRequest(tracer);
  for (const shape of shapes) record(tracer, provider, ctx, shape);
  return Object.fromEntries(
    parseServerTiming(processor.header(ctx)).map(({ name, duration, description }) => [
      name,
      { duration, description },
    ]),
  );
}

const PG = '@opentelemetry/instrumentation-pg';
const NET = '@opentelemetry/instrumentation-net';
const query = (start: number, end: number, children: SpanShape[] = []): SpanShape => ({
  name: 'pg.query:SELECT postgres',
  start,
  end,
  kind: SpanKind.CLIENT,
  scope: PG,
  attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT 1' },
  children,
});

describe('the default mapping, by principle', () => {
  it('counts queries, not pool checkouts or connections (pg-pool.connect, pg.connect, tcp.connect)', () => {
    const connect: SpanShape = {
      name: 'pg-pool.connect',
      start: 0,
      end: 4,
      kind: SpanKind.CLIENT,
      scope: PG,
      attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'postgres' },
      children: [
        {
          name: 'pg.connect',
          start: 0,
          end: 4,
          kind: SpanKind.CLIENT,
          scope: PG,
          attributes: { 'db.system.name': 'postgresql' },
          children: [
            { name: 'tcp.connect', start: 0, end: 1, scope: NET, attributes: { 'net.transport': 'ip_tcp' } },
          ],
        },
      ],
    };
    const metrics = headerOf([
      connect,
      query(4, 6),
      { ...connect, start: 6, end: 7, children: [] },
      query(7, 10),
    ]);
    expect(metrics).toEqual({ postgresql: { duration: 5, description: '2x pg.query:SELECT postgres' } });
  });

  it("leaves out Sentry's pool checkouts (made under Sentry's own tracer), not its manual spans", () => {
    const sentry = (origin: string | undefined, start: number, end: number): SpanShape => ({
      name: 'pg-pool.connect',
      start,
      end,
      kind: SpanKind.CLIENT,
      scope: '@sentry/node',
      attributes: { 'db.system': 'postgresql', ...(origin === undefined ? {} : { 'sentry.origin': origin }) },
    });
    // Sentry 10's pg instrumentation marks its queries `auto.db.otel.postgres` and its checkouts not at all.
    expect(headerOf([sentry(undefined, 0, 3), query(3, 5)])).toEqual({
      postgresql: { duration: 2, description: 'pg.query:SELECT postgres' },
    });
    expect(headerOf([sentry('auto.db.otel.postgres', 0, 3), query(3, 5)])).toEqual({
      postgresql: { duration: 2, description: 'pg.query:SELECT postgres' },
    });
    expect(headerOf([sentry('manual', 0, 3), query(3, 5)])).toEqual({
      postgresql: { duration: 5, description: '2 spans' },
    });
  });

  it('adds no metric for spans nested inside an operation (knex over pg, tcp and dns under an HTTP call)', () => {
    const metrics = headerOf([
      {
        name: 'raw postgres',
        start: 0,
        end: 5,
        kind: SpanKind.CLIENT,
        scope: '@opentelemetry/instrumentation-knex',
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'raw' },
        children: [query(1, 4)],
      },
      {
        name: 'GET',
        start: 5,
        end: 9,
        kind: SpanKind.CLIENT,
        scope: '@opentelemetry/instrumentation-undici',
        attributes: { 'http.request.method': 'GET', 'url.full': 'http://localhost/x?q=secret' },
        children: [
          {
            name: 'dns.lookup',
            start: 5,
            end: 6,
            kind: SpanKind.CLIENT,
            scope: '@opentelemetry/instrumentation-dns',
          },
          { name: 'tcp.connect', start: 6, end: 7, scope: NET },
        ],
      },
    ]);
    expect(metrics).toEqual({
      postgresql: { duration: 5, description: 'raw postgres' },
      http: { duration: 4, description: 'GET' },
    });
  });

  it("leaves out instrumentations' internal spans, but keeps the work beneath them (DataLoader)", () => {
    const metrics = headerOf([
      {
        name: 'dataloader.load',
        start: 0,
        end: 6,
        kind: SpanKind.CLIENT,
        scope: '@opentelemetry/instrumentation-dataloader',
        children: [
          {
            name: 'dataloader.batch',
            start: 1,
            end: 5,
            scope: '@opentelemetry/instrumentation-dataloader',
            children: [query(2, 4)],
          },
        ],
      },
      {
        name: 'generic-pool.acquire',
        start: 6,
        end: 7,
        scope: '@opentelemetry/instrumentation-generic-pool',
      },
      { name: 'render page', start: 7, end: 9, scope: 'my-app' },
    ]);
    expect(metrics).toEqual({
      postgresql: { duration: 2, description: 'pg.query:SELECT postgres' },
      render_page: { duration: 2, description: 'render page' },
    });
  });

  it('knows framework layers by their type attributes, router.type included, never by span names', () => {
    const router = '@opentelemetry/instrumentation-router';
    const express = '@opentelemetry/instrumentation-express';
    const metrics = headerOf([
      {
        name: 'middleware - patched',
        start: 0,
        end: 1,
        scope: router,
        attributes: { 'router.type': 'middleware' },
        children: [
          {
            name: 'middleware - jsonParser',
            start: 0,
            end: 1,
            scope: express,
            attributes: { 'express.type': 'middleware' },
          },
        ],
      },
      {
        name: 'request handler - /boom',
        start: 1,
        end: 4,
        scope: router,
        attributes: { 'router.type': 'request_handler' },
        children: [
          {
            name: 'request handler',
            start: 1,
            end: 4,
            scope: express,
            attributes: { 'express.type': 'request_handler' },
          },
        ],
      },
    ]);
    expect(metrics).toEqual({
      middleware: { duration: 1, description: '' },
      handler: { duration: 3, description: '' },
    });
  });

  it("maps NestJS's request-context span (method and url.full, not a client) to a layer, not to http", () => {
    const metrics = headerOf([
      {
        name: 'AppController.getHello',
        start: 0,
        end: 10,
        scope: '@opentelemetry/instrumentation-nestjs-core',
        attributes: {
          'nestjs.type': 'request_context',
          'http.request.method': 'GET',
          'http.method': 'GET',
          'url.full': 'http://localhost/missing',
        },
        children: [
          {
            name: 'getHello',
            start: 2,
            end: 9,
            scope: '@opentelemetry/instrumentation-nestjs-core',
            attributes: { 'nestjs.type': 'handler' },
          },
        ],
      },
    ]);
    expect(metrics).toEqual({
      middleware: { duration: 3, description: 'AppController.getHello' },
      handler: { duration: 7, description: 'getHello' },
    });
  });

  it('gives nested layers their own time (Koa), and the plain union with selfTime: false', () => {
    const koa = '@opentelemetry/instrumentation-koa';
    const stack: SpanShape[] = [
      {
        name: 'middleware - logger',
        start: 0,
        end: 20,
        scope: koa,
        attributes: { 'koa.type': 'middleware' },
        children: [
          {
            name: 'middleware - session',
            start: 1,
            end: 19,
            scope: koa,
            attributes: { 'koa.type': 'middleware' },
            children: [
              {
                name: 'router - /users/:id',
                start: 3,
                end: 17,
                scope: koa,
                attributes: { 'koa.type': 'router' },
                children: [query(5, 15)],
              },
            ],
          },
        ],
      },
    ];
    expect(headerOf(stack)).toEqual({
      middleware: { duration: 6, description: '' },
      handler: { duration: 4, description: 'router - /users/:id' },
      postgresql: { duration: 10, description: 'pg.query:SELECT postgres' },
    });
    expect(headerOf(stack, { selfTime: false })).toMatchObject({
      middleware: { duration: 20 },
      handler: { duration: 14 },
    });
  });

  it('leaves out the span an adapter marked as its own work, and its time from the layers around it', () => {
    const metrics = headerOf([
      {
        name: 'middleware - patched',
        start: 0,
        end: 3,
        scope: '@opentelemetry/instrumentation-router',
        attributes: { 'router.type': 'middleware' },
        children: [
          {
            name: 'middleware - anything',
            start: 0.5,
            end: 2.5,
            own: true,
            scope: '@opentelemetry/instrumentation-express',
            attributes: { 'express.type': 'middleware' },
          },
        ],
      },
      {
        name: 'request handler',
        start: 3,
        end: 5,
        scope: '@opentelemetry/instrumentation-express',
        attributes: { 'express.type': 'request_handler' },
      },
    ]);
    expect(metrics).toEqual({
      middleware: { duration: 1, description: 'middleware - patched' },
      handler: { duration: 2, description: 'request handler' },
    });
  });

  it('hands a user mapping every span but those beneath an operation', () => {
    const seen: string[] = [];
    headerOf(
      [
        query(0, 3, [{ name: 'tcp.connect', start: 0, end: 1, scope: NET }]),
        { name: 'tcp.connect', start: 3, end: 4, scope: NET },
      ],
      {
        mapSpan: (span) => {
          seen.push(span.name);
          return undefined;
        },
      },
    );
    expect(seen.sort()).toEqual(['pg.query:SELECT postgres', 'tcp.connect']);
  });
});
