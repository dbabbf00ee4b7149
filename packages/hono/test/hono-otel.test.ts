import type { Server } from 'node:http';
import http2 from 'node:http2';
import { serve } from '@hono/node-server';
import { httpInstrumentationMiddleware } from '@hono/otel';
import {
  closeServer,
  expectHeaderMatchesSpans,
  metricsByName,
  serverSpans,
  timedSpan,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { serverTiming as portableServerTiming } from '../src/index.js';
import { serverTiming } from '../src/node.js';
import type { ServerTimingVariables } from '../src/types.js';

const tracing = useTracing();

function handler(app: Hono<{ Variables: ServerTimingVariables }>) {
  app.get('/orders/:id', async (c) => {
    await timedSpan(tracing.tracer, 'SELECT orders', 3, { 'db.system.name': 'mysql' });
    c.get('serverTiming').add({ name: 'app', duration: 2 });
    return c.text('ok');
  });
  return app;
}

type App = Hono<{ Variables: ServerTimingVariables }>;

/** Answers one request with `app` on @hono/node-server (plain node:http: no instrumentation-http here). */
async function onNodeServer(app: App, path: string): Promise<Response> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    ) as Server;
  });
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    await response.clone().text();
    return response;
  } finally {
    await closeServer(server);
  }
}

/** The same over HTTP/2 (h2c): the Node response is an `Http2ServerResponse`. */
async function onHttp2NodeServer(app: App, path: string): Promise<Response> {
  const server = await new Promise<http2.Http2Server>((resolve) => {
    const started = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer: http2.createServer },
      () => resolve(started as http2.Http2Server),
    ) as http2.Http2Server;
  });
  const { port } = server.address() as { port: number };
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    return await new Promise<Response>((resolve, reject) => {
      const stream = client.request({ ':path': path });
      let body = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        body += chunk;
      });
      stream.on('response', (headers) => {
        stream.on('end', () => {
          const plain = Object.entries(headers).filter(([name]) => !name.startsWith(':'));
          resolve(
            new Response(body, { status: Number(headers[':status']), headers: plain as [string, string][] }),
          );
        });
      });
      stream.on('error', reject);
    });
  } finally {
    client.close();
    await new Promise((closed) => server.close(closed));
  }
}

const RUNS = {
  'as a Fetch app': { serverTiming, answer: (app: App, path: string) => app.request(path) },
  'on @hono/node-server (Node entry: written at the first byte)': { serverTiming, answer: onNodeServer },
  'on @hono/node-server over HTTP/2 (Node entry)': { serverTiming, answer: onHttp2NodeServer },
  'on @hono/node-server (entry of other runtimes)': {
    serverTiming: portableServerTiming,
    answer: onNodeServer,
  },
};

describe.each(Object.entries(RUNS))('serverTiming with @hono/otel %s', (_, { serverTiming, answer }) => {
  it('reads the span @hono/otel started when registered after its middleware', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(httpInstrumentationMiddleware({ tracerProvider: tracing.provider }), serverTiming());
    const response = await answer(handler(app), '/orders/9');
    expect(await response.text()).toBe('ok');
    const spans = tracing.exporter.getFinishedSpans();
    const [server] = serverSpans(spans);
    expect(server?.instrumentationScope.name).toBe('@hono/otel');
    expect(server?.name).toBe('GET /orders/:id');
    const metrics = expectHeaderMatchesSpans(response.headers.get('server-timing'), server!, spans);
    expect(metrics.mysql?.description).toBe('SELECT orders');
    expect(metrics.app?.duration).toBe(2);
  });

  it('registered before @hono/otel it sees no span: only the handler metrics are written', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(serverTiming(), httpInstrumentationMiddleware({ tracerProvider: tracing.provider }));
    const response = await answer(handler(app), '/orders/9');
    const metrics = metricsByName(response.headers.get('server-timing'));
    expect(Object.keys(metrics)).toEqual(['app']);
    expect(serverSpans(tracing.exporter.getFinishedSpans())).toHaveLength(1);
  });
});
