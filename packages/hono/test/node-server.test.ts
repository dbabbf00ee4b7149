import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import {
  expectHeaderMatchesSpans,
  listenOnLoopback,
  metricsByName,
  serverSpans,
  sleep,
  timedSpan,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { Hono } from 'hono';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { addServerTiming, type ServerTimingVariables, serverTiming } from '../src/index.js';

const tracing = useTracing();
const instrumentation = new HttpInstrumentation({
  ignoreIncomingRequestHook: (request) => request.url?.startsWith('/upstream') ?? false,
});
registerInstrumentations({ instrumentations: [instrumentation], tracerProvider: tracing.provider });
afterAll(() => instrumentation.disable());
// Loaded after the instrumentation so its require hook patches the module (and Server.prototype, which
// @hono/node-server's ESM import shares).
const http: typeof import('node:http') = createRequire(import.meta.url)('node:http');
const upstream = await listenOnLoopback((_request, response) => {
  setTimeout(() => response.end('upstream'), 3);
}, http.createServer);
const upstreamUrl = `${upstream.url}upstream`;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const query = (name: string, ms: number) => timedSpan(tracing.tracer, name, ms);

/** An outgoing call through node:http, which instrumentation-http covers (Node's global fetch it does not). */
function callUpstream(): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(upstreamUrl, (response) => {
        response.resume();
        response.on('end', resolve);
      })
      .on('error', reject);
  });
}

async function listen(app: Hono<{ Variables: ServerTimingVariables }>): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve(`http://127.0.0.1:${info.port}`);
    });
    servers.push(server as Server);
  });
}

function usersApp(): Hono<{ Variables: ServerTimingVariables }> {
  const app = new Hono<{ Variables: ServerTimingVariables }>();
  app.use(serverTiming());
  app.get('/users/:id', async (c) => {
    await query('SELECT user', 4);
    await Promise.all([query('SELECT orders', 6), query('SELECT items', 3)]);
    await callUpstream();
    c.get('serverTiming').add({ name: 'cache', duration: 1.25, description: 'miss' });
    addServerTiming(c, { name: 'region', description: 'eu-west' });
    return c.json({ id: c.req.param('id') });
  });
  return app;
}

describe('serverTiming under @hono/node-server with instrumentation-http', () => {
  it('writes the child spans, the trace context of the exported server span and the handler metrics', async () => {
    const base = await listen(usersApp());
    const response = await fetch(`${base}/users/42`);
    expect(await response.json()).toEqual({ id: '42' });
    const header = response.headers.get('server-timing');
    await tracing.provider.forceFlush();
    const spans = tracing.exporter.getFinishedSpans();
    const [server] = serverSpans(spans);
    expect(server).toBeDefined();
    const metrics = expectHeaderMatchesSpans(header, server!, spans);
    expect(metrics.postgresql?.description).toBe('3 spans');
    expect(metrics.http).toBeDefined();
    expect(metrics.cache).toEqual({ name: 'cache', duration: 1.25, description: 'miss' });
    expect(metrics.region).toEqual({ name: 'region', duration: 0, description: 'eu-west' });
    // Two of the three queries ran in parallel: the union is less than the sum of their durations.
    const queries = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    const sum = queries.reduce((total, span) => total + span.duration[0] * 1e3 + span.duration[1] / 1e6, 0);
    expect(metrics.postgresql!.duration).toBeLessThan(sum);
  });

  it('writes the server span context, not the caller’s, when the request carries a traceparent', async () => {
    const base = await listen(usersApp());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${base}/users/7`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    await response.arrayBuffer();
    const context = readTraceContext(parseServerTiming(response.headers.get('server-timing') ?? ''));
    const [server] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(context?.traceId).toBe(traceId);
    expect(context?.spanId).toBe(server?.spanContext().spanId);
    expect(context?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('gives each of 500 concurrent requests only its own metrics and trace id', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(serverTiming());
    app.get('/work/:n', async (c) => {
      const n = c.req.param('n');
      await tracing.tracer.startActiveSpan(`job-${n}`, async (span) => {
        await sleep(1 + (Number(n) % 7));
        span.end();
      });
      c.get('serverTiming').add({ name: `mine-${n}` });
      return c.text(trace.getActiveSpan()?.spanContext().traceId ?? '');
    });
    const base = await listen(app);
    const results = await Promise.all(
      Array.from({ length: 500 }, async (_, n) => {
        const traceId = (n + 1).toString(16).padStart(32, 'a');
        const response = await fetch(`${base}/work/${n}`, {
          headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        });
        return { n, traceId, body: await response.text(), header: response.headers.get('server-timing') };
      }),
    );
    for (const { n, traceId, body, header } of results) {
      const metrics = parseServerTiming(header ?? '');
      const names = metrics.map((metric) => metric.name).sort();
      expect(names).toEqual([`job-${n}`, `mine-${n}`, 'total', 'traceparent'].sort());
      expect(body).toBe(traceId);
      expect(readTraceContext(metrics)?.traceId).toBe(traceId);
    }
  });

  it('streams a body unbuffered: the client has the header and the first chunk before the stream ends', async () => {
    let releaseSecond: () => void = () => {};
    const secondChunkAllowed = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(serverTiming());
    app.get('/stream', async (c) => {
      await query('SELECT rows', 2);
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          pulls++;
          if (pulls === 1) {
            controller.enqueue(new TextEncoder().encode('first;'));
            return;
          }
          await secondChunkAllowed;
          controller.enqueue(new TextEncoder().encode('second'));
          controller.close();
        },
      });
      return c.body(body, 200, { 'content-type': 'text/plain' });
    });
    const base = await listen(app);
    let releasedByTimeout = false;
    const safety = setTimeout(() => {
      releasedByTimeout = true;
      releaseSecond();
    }, 5000);
    const response = await fetch(`${base}/stream`);
    const header = response.headers.get('server-timing');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    expect(releasedByTimeout).toBe(false);
    releaseSecond();
    clearTimeout(safety);
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe('second');
    expect(metricsByName(header).postgresql).toBeDefined();
    expect(metricsByName(header).traceparent).toBeDefined();
  });

  it('turns hostile span names and metrics into a valid header and an unharmed response', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(serverTiming());
    app.get('/hostile', (c) => {
      for (const name of [
        'evil\r\nX-Injected: 1',
        'quote"s\\and;dur=1,x',
        '日本語の名前',
        'Ünïcødé\u2028',
        '',
      ]) {
        tracing.tracer.startSpan(name).end();
      }
      c.get('serverTiming').add({
        name: 'bad\r\nname',
        duration: 1,
        description: 'line\r\nbreak "quoted" 日本',
      });
      c.get('serverTiming').add({ name: 42 as unknown as string });
      c.get('serverTiming').add(null as unknown as { name: string });
      return c.text('fine');
    });
    const base = await listen(app);
    const response = await fetch(`${base}/hostile`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('fine');
    expect(response.headers.get('x-injected')).toBeNull();
    const header = response.headers.get('server-timing') ?? '';
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const metrics = parseServerTiming(header);
    expect(metrics.length).toBeGreaterThanOrEqual(7);
    expect(readTraceContext(metrics)).toBeDefined();
    expect(metrics.some((metric) => metric.name === 'bad_name' && metric.duration === 1)).toBe(true);
  });

  it('copies a response whose headers are immutable (straight from fetch()) and keeps its body and status', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(serverTiming());
    app.get('/proxy', async () => {
      const upstreamResponse = await fetch(upstreamUrl);
      expect(() => upstreamResponse.headers.set('x-probe', '1')).toThrow(TypeError);
      return upstreamResponse;
    });
    const base = await listen(app);
    const response = await fetch(`${base}/proxy`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('upstream');
    expect(metricsByName(response.headers.get('server-timing')).traceparent).toBeDefined();
  });
});
