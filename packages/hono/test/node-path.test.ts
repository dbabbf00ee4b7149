import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Span, SpanKind } from '@opentelemetry/api';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import {
  metricsByName,
  serverSpans,
  setUpAdapterSuite,
  timedSpan,
} from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { withServerTiming } from '@otel-server-timing/fetch';
import { NodeServerTiming, serverTimingResponseHook } from '@otel-server-timing/node';
import { Hono, type MiddlewareHandler } from 'hono';
import { setMetric, timing } from 'hono/timing';
import { afterEach, describe, expect, it } from 'vitest';
import { serverTiming as portableServerTiming } from '../src/index.js';
import { serverTiming } from '../src/node.js';
import type { HonoServerTimingOptions, ServerTimingVariables } from '../src/types.js';
import { serveOnNodeServer } from './support/node-server.js';

// The Node entry under @hono/node-server: with instrumentation-http's server span active, the middleware
// leaves Hono's Response alone and Node writes the header at the response's first byte.
const suite = setUpAdapterSuite(undefined, () => ({}));

type Env = {
  Bindings: { incoming: IncomingMessage; outgoing: ServerResponse };
  Variables: ServerTimingVariables & { user?: string; origin?: string };
};
type App = Hono<Env>;
type FetchHandler = Parameters<typeof serveOnNodeServer>[1];

const listen = (fetch: FetchHandler) => serveOnNodeServer(suite, fetch);

type RawResponse = { status: number; body: string; lines: string[]; header: (name: string) => string[] };

/** One GET, with the response's header lines as they came (a Fetch client would join repeated ones). */
function get(port: number, path = '/', headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // An agent of its own: the test's client is not the server under test's instrumentation target.
    const request = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        const raw = response.rawHeaders;
        const header = (name: string) =>
          raw.filter((_, index) => index % 2 === 1 && raw[index - 1]?.toLowerCase() === name);
        resolve({ status: response.statusCode ?? 0, body, lines: header('server-timing'), header });
      });
    });
    request.on('error', reject);
  });
}

/** What Hono's own Response carried after the middleware: `null` when the middleware left it alone. */
function recordResponseHeader(seen: (string | null)[]): MiddlewareHandler {
  return async (c, next) => {
    await next();
    seen.push(c.res.headers.get('server-timing'));
  };
}

function appWith(
  middleware: MiddlewareHandler,
  seen: (string | null)[] = [],
  handler?: (c: Parameters<MiddlewareHandler<Env>>[0]) => Response | Promise<Response>,
): App {
  const app: App = new Hono();
  app.use(recordResponseHeader(seen));
  app.use(middleware);
  app.get(
    '/*',
    handler ??
      (async (c) => {
        await timedSpan(suite.tracing.tracer, 'SELECT users', 2);
        c.get('serverTiming').add({ name: 'app', duration: 1 });
        return c.text('ok');
      }),
  );
  return app;
}

function names(value: string | undefined): string[] {
  return parseServerTiming(value ?? '').map((metric) => metric.name);
}

function count(value: string | undefined, name: string): number {
  return names(value).filter((each) => each === name).length;
}

/** Sets instrumentation-http's config for one test, restored afterwards. */
function withHttpConfig(change: (config: HttpInstrumentationConfig) => HttpInstrumentationConfig): void {
  const instrumentation = suite.tracing.httpInstrumentation;
  const before = instrumentation.getConfig();
  instrumentation.setConfig(change({ ...before }));
  restores.push(() => instrumentation.setConfig(before));
}
const restores: (() => void)[] = [];
afterEach(() => {
  for (const restore of restores.splice(0)) restore();
});

describe('the Node path under @hono/node-server', () => {
  it('leaves the Response alone: Node writes the one header at the first byte', async () => {
    const seen: (string | null)[] = [];
    const port = await listen(appWith(serverTiming(), seen).fetch);
    const response = await get(port);
    expect(response.body).toBe('ok');
    expect(seen).toEqual([null]);
    expect(response.lines).toHaveLength(1);
    const header = response.lines[0];
    expect(names(header)).toEqual(['postgresql', 'app', 'total', 'traceparent']);
    const [root] = serverSpans(suite.tracing.exporter.getFinishedSpans());
    expect(readTraceContext(parseServerTiming(header ?? ''))?.spanId).toBe(root?.spanContext().spanId);
  });

  it('is not what the entry of other runtimes does: that one writes onto the Response', async () => {
    const seen: (string | null)[] = [];
    const port = await listen(appWith(portableServerTiming(), seen).fetch);
    const response = await get(port);
    expect(seen).toHaveLength(1);
    expect(names(seen[0] ?? '')).toContain('traceparent');
    expect(names(response.lines.join(', '))).toContain('app');
  });

  it('is not taken by a Fetch app called directly, even inside a server span', async () => {
    const seen: (string | null)[] = [];
    const app = appWith(serverTiming(), seen);
    const response = await suite.tracing.tracer.startActiveSpan(
      'GET /',
      { kind: SpanKind.SERVER },
      async (span: Span) => {
        const answered = await app.request('/');
        span.end();
        return answered;
      },
    );
    expect(names(seen[0] ?? '')).toEqual(['postgresql', 'app', 'total', 'traceparent']);
    expect(response.headers.get('server-timing')).toBe(seen[0]);
  });

  it('is not taken without a span of this process: the tracer option starts one, written onto the Response', async () => {
    const instrumentation = suite.tracing.httpInstrumentation;
    instrumentation.disable();
    restores.push(() => instrumentation.enable());
    const seen: (string | null)[] = [];
    const port = await listen(appWith(serverTiming({ tracer: suite.tracing.tracer }), seen).fetch);
    const response = await get(port);
    expect(names(seen[0] ?? '')).toEqual(['postgresql', 'app', 'total', 'traceparent']);
    expect(response.lines).toEqual([seen[0]]);
    const [root] = serverSpans(suite.tracing.exporter.getFinishedSpans());
    expect(root?.name).toBe('GET /*');
  });

  it('gives per-request options the Context as the handler left it', async () => {
    const options: HonoServerTimingOptions = {
      enabled: (c) => c.get('user') !== undefined,
      crossOrigin: (c) => c.get('origin') ?? false,
      level: (c) => (c.get('user') === 'admin' ? 'full' : 'trace'),
    };
    const seen: (string | null)[] = [];
    const port = await listen(
      appWith(serverTiming(options), seen, (c) => {
        const user = c.req.header('x-user');
        if (user !== undefined) c.set('user', user);
        if (user === 'admin') c.set('origin', 'https://admin.example');
        c.get('serverTiming').add({ name: 'app', duration: 1 });
        return c.text('ok');
      }).fetch,
    );
    const admin = await get(port, '/', { 'x-user': 'admin' });
    expect(names(admin.lines[0])).toEqual(['app', 'total', 'traceparent']);
    expect(admin.header('timing-allow-origin')).toEqual(['https://admin.example']);
    const guest = await get(port, '/', { 'x-user': 'guest' });
    expect(names(guest.lines[0])).toEqual(['traceparent']);
    expect(guest.header('timing-allow-origin')).toEqual([]);
    const anonymous = await get(port);
    expect(anonymous.lines).toEqual([]);
    expect(seen).toEqual([null, null, null]);
  });

  it('gives each of 200 concurrent requests its own metrics, trace and per-request options', async () => {
    const port = await listen(
      appWith(serverTiming({ crossOrigin: (c) => c.get('origin') ?? false }), [], async (c) => {
        const index = c.req.path.slice(1);
        await new Promise((resolve) => setTimeout(resolve, Number(index) % 7));
        c.set('origin', `https://client${index}.example`);
        c.get('serverTiming').add({ name: `request${index}`, duration: 1 });
        return c.text(index);
      }).fetch,
    );
    const responses = await Promise.all(Array.from({ length: 200 }, (_, index) => get(port, `/${index}`)));
    const traces = new Set<string>();
    for (const [index, response] of responses.entries()) {
      expect(response.body).toBe(String(index));
      expect(response.lines).toHaveLength(1);
      const header = response.lines[0];
      expect(names(header).filter((name) => name.startsWith('request'))).toEqual([`request${index}`]);
      expect(response.header('timing-allow-origin')).toEqual([`https://client${index}.example`]);
      traces.add(metricsByName(header ?? '').traceparent?.description ?? '');
    }
    expect(traces.size).toBe(200);
  });
});

describe('one Server-Timing value under the Node path, whoever else writes', () => {
  it('with instrumentation-http’s responseHook attaching every response', async () => {
    const hook = serverTimingResponseHook();
    withHttpConfig((config) => ({
      ...config,
      responseHook: (span, response) => hook(span as Span, response),
    }));
    const seen: (string | null)[] = [];
    const port = await listen(appWith(serverTiming({ crossOrigin: 'https://app.example' }), seen).fetch);
    const response = await get(port);
    expect(seen).toEqual([null]);
    expect(response.lines).toHaveLength(1);
    expect(names(response.lines[0])).toEqual(['postgresql', 'app', 'total', 'traceparent']);
    // The middleware's options, not the hook's.
    expect(response.header('timing-allow-origin')).toEqual(['https://app.example']);
  });

  it('with withServerTiming around app.fetch', async () => {
    const app = appWith(serverTiming());
    const port = await listen(withServerTiming(app.fetch) as FetchHandler);
    const response = await get(port);
    expect(response.lines).toHaveLength(1);
    const header = response.lines[0];
    for (const name of ['postgresql', 'app', 'total', 'traceparent'])
      expect(count(header, name), name).toBe(1);
  });

  it('with another adapter attaching the Node response in the handler: one handle, one header', async () => {
    const node = new NodeServerTiming();
    const port = await listen(
      appWith(serverTiming(), [], (c) => {
        node.attach(c.env.incoming, c.env.outgoing)?.add({ name: 'other', duration: 2 });
        c.get('serverTiming').add({ name: 'app', duration: 1 });
        return c.text('ok');
      }).fetch,
    );
    const response = await get(port);
    expect(response.lines).toHaveLength(1);
    expect(names(response.lines[0])).toEqual(['other', 'app', 'total', 'traceparent']);
  });

  it('with a second serverTiming() on the route: one value, with the outer one’s options', async () => {
    const app: App = new Hono();
    app.use(serverTiming({ crossOrigin: 'https://outer.example' }));
    app.get('/', serverTiming({ crossOrigin: 'https://inner.example' }), async (c) => {
      await timedSpan(suite.tracing.tracer, 'SELECT users', 2);
      c.get('serverTiming').add({ name: 'app', duration: 1 });
      return c.text('ok');
    });
    const response = await get(await listen(app.fetch));
    expect(response.lines).toHaveLength(1);
    expect(names(response.lines[0])).toEqual(['postgresql', 'app', 'total', 'traceparent']);
    expect(response.header('timing-allow-origin')).toEqual(['https://outer.example']);
  });

  it('with another adapter skipping the response in the handler: none', async () => {
    const node = new NodeServerTiming();
    const port = await listen(
      appWith(serverTiming(), [], (c) => {
        node.attach(c.env.incoming, c.env.outgoing)?.skip();
        return c.text('ok');
      }).fetch,
    );
    const response = await get(port);
    expect(response.body).toBe('ok');
    expect(response.lines).toEqual([]);
  });
});

describe("the application's own Server-Timing under the Node path", () => {
  it('set with c.header in the handler: ours appended to it, in one value', async () => {
    const port = await listen(
      appWith(serverTiming(), [], (c) => {
        c.header('Server-Timing', 'app;dur=5');
        return c.text('ok');
      }).fetch,
    );
    const response = await get(port);
    expect(response.lines).toHaveLength(1);
    expect(names(response.lines[0])).toEqual(['app', 'total', 'traceparent']);
    expect(response.lines[0]).toMatch(/^app;dur=5, total;dur=/);
  });

  it('set by hono/timing after the handler: ours appended to it, in one value', async () => {
    const app: App = new Hono();
    app.use(serverTiming());
    app.use(timing({ total: false }));
    app.get('/', (c) => {
      setMetric(c, 'region', 'europe-west');
      return c.text('ok');
    });
    const response = await get(await listen(app.fetch));
    expect(response.lines).toHaveLength(1);
    expect(names(response.lines[0])).toEqual(['region', 'total', 'traceparent']);
  });

  it('set on the Node response itself: ours appended to it, in one value', async () => {
    const port = await listen(
      appWith(serverTiming(), [], (c) => {
        c.env.outgoing.setHeader('Server-Timing', 'node;dur=3');
        return c.text('ok');
      }).fetch,
    );
    const response = await get(port);
    expect(response.lines).toHaveLength(1);
    expect(response.lines[0]).toMatch(/^node;dur=3, total;dur=/);
  });

  it('on a response a shared cache may store: nothing of ours', async () => {
    const port = await listen(
      appWith(serverTiming(), [], (c) => {
        c.header('Cache-Control', 'public, max-age=60');
        c.header('Server-Timing', 'app;dur=5');
        return c.text('ok');
      }).fetch,
    );
    const response = await get(port);
    expect(response.lines).toEqual(['app;dur=5']);
  });
});
