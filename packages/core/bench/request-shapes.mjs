// The requests the core benchmarks run, as a provider's spans: each function takes a tracer provider and
// returns a function that makes one request's spans.
//   coreBenchShape  a server span with two child spans (a query and an HTTP call), as an adapter sees it
//   expressShape    the spans instrumentation-http and instrumentation-express make of an Express 4 request
//                   through three middleware (query, expressInit, a body parser) to a handler whose work is
//                   a database query and a cache read (packages/benchmarks' route): 7 spans, with the
//                   instrumentations' names, kinds, attributes, scopes and order of ending as dumped from a
//                   real app
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

/** The route's database query: a span as a database instrumentation makes one. */
const query = (tracer, ctx) =>
  tracer
    .startSpan('SELECT users', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } }, ctx)
    .end();

export function coreBenchShape(tracerProvider) {
  const tracer = tracerProvider.getTracer('bench');
  return () => {
    const root = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    query(tracer, ctx);
    tracer
      .startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } }, ctx)
      .end();
    root.end();
  };
}

export function expressShape(tracerProvider) {
  const http = tracerProvider.getTracer('@opentelemetry/instrumentation-http', '0.223.0');
  const express = tracerProvider.getTracer('@opentelemetry/instrumentation-express', '0.71.1');
  const app = tracerProvider.getTracer('benchmark');
  const middleware = (name, ctx) =>
    express
      .startSpan(
        `middleware - ${name}`,
        { attributes: { 'express.name': name, 'express.type': 'middleware' } },
        ctx,
      )
      .end();
  return () => {
    const root = http.startSpan('GET', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'network.peer.address': '127.0.0.1',
        'network.peer.port': 50822,
        'network.protocol.version': '1.1',
        'user_agent.original': 'node',
        'url.path': '/users/42',
        'client.address': '127.0.0.1',
        'server.port': 43565,
      },
    });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    middleware('query', ctx);
    middleware('expressInit', ctx);
    middleware('jsonParser', ctx);
    const handler = express.startSpan(
      'request handler - /users/:id',
      {
        attributes: {
          'http.route': '/users/:id',
          'express.name': '/users/:id',
          'express.type': 'request_handler',
        },
      },
      ctx,
    );
    const handlerCtx = trace.setSpan(ctx, handler);
    query(app, handlerCtx);
    app.startSpan('cache get', {}, handlerCtx).end();
    root.updateName('GET /users/:id');
    root.setAttribute('http.response.status_code', 200);
    root.setAttribute('http.route', '/users/:id');
    root.end();
    handler.end();
  };
}

/** The shapes by name, with their number of spans. */
export const SHAPES = {
  'core-bench': { spans: 3, says: 'server + 2 children', make: coreBenchShape },
  express: { spans: 7, says: 'Express 4: server, 3 middleware, a handler + 2 children', make: expressShape },
};
