import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  expectHeaderMatchesSpans,
  listenOnLoopback,
  metricsByName,
  serverSpans,
  timedSpan,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { endTime, startTime, timing } from 'hono/timing';
import { describe, expect, it } from 'vitest';
import { type ServerTimingVariables, serverTiming } from '../src/index.js';

const tracing = useTracing();
const { url: upstreamUrl } = await listenOnLoopback((_request, response) => {
  response.setHeader('server-timing', 'upstream;dur=1');
  response.end('from upstream');
});

type App = Hono<{ Variables: ServerTimingVariables }>;

const query = (name: string, ms: number) => timedSpan(tracing.tracer, name, ms);

/** An outgoing call as a manual CLIENT span (Node's global fetch is not instrumented here). */
function outgoingCall(): Promise<void> {
  return tracing.tracer.startActiveSpan(
    'GET',
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': upstreamUrl } },
    async (span) => {
      await (await fetch(upstreamUrl)).text();
      span.end();
    },
  );
}

function usersApp(): App {
  const app = new Hono<{ Variables: ServerTimingVariables }>();
  app.use(serverTiming({ tracer: tracing.tracer }));
  app.get('/users/:id', async (c) => {
    await Promise.all([query('SELECT user', 3), query('SELECT roles', 5)]);
    await outgoingCall();
    c.get('serverTiming').add({ name: 'render', duration: 0.5 });
    return c.json({ id: c.req.param('id') });
  });
  app.onError((error, c) => c.text(error.message, error instanceof HTTPException ? error.status : 500));
  app.get('/fail', () => {
    throw new Error('database is down');
  });
  app.get('/forbidden', () => {
    throw new HTTPException(403, { message: 'no' });
  });
  return app;
}

describe('serverTiming with the tracer option and no instrumentation', () => {
  it('starts a SERVER span named after the route, runs the handler inside it, and writes its timings', async () => {
    const response = await usersApp().request('http://example.test:8080/users/42', {
      headers: { 'user-agent': 'vitest' },
    });
    expect(await response.json()).toEqual({ id: '42' });
    const spans = tracing.exporter.getFinishedSpans();
    const [server] = serverSpans(spans);
    expect(server?.name).toBe('GET /users/:id');
    expect(server?.parentSpanContext).toBeUndefined();
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'url.path': '/users/42',
      'server.address': 'example.test',
      'server.port': 8080,
      'user_agent.original': 'vitest',
    });
    const metrics = expectHeaderMatchesSpans(response.headers.get('server-timing'), server!, spans);
    expect(metrics.postgresql?.description).toBe('2 spans');
    expect(metrics.http?.description).toBe('GET');
    expect(metrics.render?.duration).toBe(0.5);
  });

  it('continues the trace the request carries', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await usersApp().request('/users/1', {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const [server] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext).toMatchObject({ spanId: 'b7ad6b7169203331', isRemote: true });
    expect(readTraceContext(parseServerTiming(response.headers.get('server-timing') ?? ''))?.spanId).toBe(
      server?.spanContext().spanId,
    );
  });

  it('records a thrown error and a 5xx status on the span, and still writes the header', async () => {
    const response = await usersApp().request('/fail');
    expect(response.status).toBe(500);
    const [server] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(server?.name).toBe('GET /fail');
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    expect(server?.attributes['error.type']).toBe('Error');
    expect(server?.attributes['http.response.status_code']).toBe(500);
    expect(server?.events.map((event) => event.name)).toContain('exception');
    expect(metricsByName(response.headers.get('server-timing')).traceparent).toBeDefined();
  });

  it('records a 4xx exception without marking the server span failed', async () => {
    const response = await usersApp().request('/forbidden');
    expect(response.status).toBe(403);
    const [server] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(server?.status.code).toBe(SpanStatusCode.UNSET);
    expect(server?.attributes['http.response.status_code']).toBe(403);
    expect(server?.events.map((event) => event.name)).toContain('exception');
  });

  it('names the span by method alone when no route matched', async () => {
    const response = await usersApp().request('/nowhere');
    expect(response.status).toBe(404);
    const [server] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(server?.name).toBe('GET');
    expect(server?.attributes['http.route']).toBeUndefined();
  });

  it('uses a span already active instead of starting one', async () => {
    const outer = tracing.tracer.startSpan('outer', { kind: SpanKind.SERVER });
    const response = await context.with(trace.setSpan(context.active(), outer), () =>
      usersApp().request('/users/2'),
    );
    outer.end();
    const spans = tracing.exporter.getFinishedSpans();
    expect(serverSpans(spans).map((span) => span.name)).toEqual(['outer']);
    expect(readTraceContext(parseServerTiming(response.headers.get('server-timing') ?? ''))?.spanId).toBe(
      outer.spanContext().spanId,
    );
  });

  it('copies immutable responses (fetch(), Response.redirect()) keeping body, status and headers', async () => {
    const app = new Hono();
    app.use(serverTiming({ tracer: tracing.tracer }));
    app.get('/proxy', () => fetch(upstreamUrl));
    app.get('/moved', () => Response.redirect('https://example.test/elsewhere', 307));
    const proxied = await app.request('/proxy');
    expect(proxied.status).toBe(200);
    expect(await proxied.text()).toBe('from upstream');
    const values = proxied.headers.get('server-timing') ?? '';
    expect(values.startsWith('upstream;dur=1, ')).toBe(true);
    expect(metricsByName(values).traceparent).toBeDefined();
    const moved = await app.request('/moved');
    expect(moved.status).toBe(307);
    expect(moved.headers.get('location')).toBe('https://example.test/elsewhere');
    expect(metricsByName(moved.headers.get('server-timing')).traceparent).toBeDefined();
  });
});

describe('serverTiming beside hono/timing', () => {
  function appWith(order: 'hono-timing-first' | 'server-timing-first'): Hono {
    const app = new Hono();
    if (order === 'hono-timing-first') app.use(timing(), serverTiming({ tracer: tracing.tracer }));
    else app.use(serverTiming({ tracer: tracing.tracer }), timing());
    app.get('/', async (c) => {
      startTime(c, 'db');
      await query('SELECT 1', 2);
      endTime(c, 'db');
      return c.text('ok');
    });
    app.get('/proxy', () => fetch(upstreamUrl));
    return app;
  }

  for (const order of ['hono-timing-first', 'server-timing-first'] as const) {
    it(`keeps both middlewares' metrics (${order})`, async () => {
      const response = await appWith(order).request('/');
      const metrics = parseServerTiming(response.headers.get('server-timing') ?? '');
      const names = metrics.map((metric) => metric.name);
      // hono/timing's own metrics…
      expect(metrics).toContainEqual(expect.objectContaining({ name: 'db' }));
      expect(metrics).toContainEqual(
        expect.objectContaining({ name: 'total', description: 'Total Response Time' }),
      );
      // …and ours: the span metric, our total and the trace context.
      expect(names).toContain('postgresql');
      expect(names).toContain('traceparent');
      expect(names.filter((name) => name === 'total')).toHaveLength(2);
      // The inner middleware appends first.
      const first = order === 'hono-timing-first' ? 'postgresql' : 'db';
      expect(names.indexOf(first)).toBeLessThan(names.indexOf(first === 'db' ? 'postgresql' : 'db'));
    });
  }

  it('lets hono/timing, registered first, add to a response it could not have changed alone (from fetch())', async () => {
    const response = await appWith('hono-timing-first').request('/proxy');
    expect(response.status).toBe(200);
    const names = parseServerTiming(response.headers.get('server-timing') ?? '').map((metric) => metric.name);
    expect(names).toEqual(expect.arrayContaining(['upstream', 'traceparent', 'total']));
  });
});
