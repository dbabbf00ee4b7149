import { DiagLogLevel, diag } from '@opentelemetry/api';
import { metricsByName, timedSpan, useTracing } from '@otel-server-timing/adapter-test-kit';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  addServerTiming,
  type HonoServerTimingOptions,
  type ServerTimingVariables,
  serverTiming,
} from '../src/index.js';

const tracing = useTracing();
const reported: string[] = [];
const record = (message: string) => reported.push(message);
diag.setLogger(
  { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.WARN,
);
afterEach(() => {
  reported.length = 0;
});
afterAll(() => diag.disable());

type Env = { Variables: ServerTimingVariables & { user?: string } };

function appWith(options: HonoServerTimingOptions): Hono<Env> {
  const app = new Hono<Env>();
  app.use(serverTiming({ tracer: tracing.tracer, ...options }));
  app.use(
    createMiddleware<Env>(async (c, next) => {
      c.set('user', c.req.header('x-user'));
      await next();
    }),
  );
  app.get('/', async (c) => {
    await timedSpan(tracing.tracer, 'work', 1, {});
    c.get('serverTiming').add({ name: 'app', duration: 1, description: 'mine' });
    c.header('access-control-expose-headers', 'X-Request-Id');
    return c.text('body', 201);
  });
  return app;
}

describe('serverTiming options', () => {
  it('writes nothing with enabled: false, and the response is untouched', async () => {
    const response = await appWith({ enabled: false, crossOrigin: '*' }).request('/');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('body');
    expect(response.headers.get('server-timing')).toBeNull();
    expect(response.headers.get('timing-allow-origin')).toBeNull();
  });

  it('decides per request after the handler ran, so enabled() sees what inner middleware set', async () => {
    const app = appWith({ enabled: (c) => c.get('user') === 'admin' });
    expect(
      (await app.request('/', { headers: { 'x-user': 'admin' } })).headers.get('server-timing'),
    ).toContain('traceparent');
    expect(
      (await app.request('/', { headers: { 'x-user': 'guest' } })).headers.get('server-timing'),
    ).toBeNull();
  });

  it('leaves the response unharmed when enabled() throws, and reports it', async () => {
    const response = await appWith({
      enabled: () => {
        throw new Error('feature flag service down');
      },
    }).request('/');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('body');
    expect(response.headers.get('server-timing')).toBeNull();
    expect(reported.join('\n')).toMatch(/`enabled` function threw/);
  });

  it('sets Timing-Allow-Origin from crossOrigin (value, list or function of the context)', async () => {
    const any = await appWith({ crossOrigin: true }).request('/');
    expect(any.headers.get('timing-allow-origin')).toBe('*');
    const list = await appWith({ crossOrigin: ['https://a.example', 'https://b.example'] }).request('/');
    expect(list.headers.get('timing-allow-origin')).toBe('https://a.example, https://b.example');
    const decided = appWith({
      crossOrigin: (c) => (c.get('user') === 'partner' ? 'https://partner.example' : false),
    });
    const partner = await decided.request('/', { headers: { 'x-user': 'partner' } });
    expect(partner.headers.get('timing-allow-origin')).toBe('https://partner.example');
    expect((await decided.request('/')).headers.get('timing-allow-origin')).toBeNull();
    expect((await appWith({}).request('/')).headers.get('timing-allow-origin')).toBeNull();
  });

  it('adds Server-Timing to Access-Control-Expose-Headers on CORS requests only, keeping what is there', async () => {
    const app = appWith({ exposeHeader: true });
    const cors = await app.request('/', { headers: { origin: 'https://app.example' } });
    expect(cors.headers.get('access-control-expose-headers')).toBe('X-Request-Id, Server-Timing');
    const sameOrigin = await app.request('/');
    expect(sameOrigin.headers.get('access-control-expose-headers')).toBe('X-Request-Id');
  });

  it('leaves descriptions out and writes the trace context forms asked for', async () => {
    const response = await appWith({ descriptions: false, traceContext: 'both' }).request('/');
    const header = response.headers.get('server-timing') ?? '';
    expect(header).toMatch(/(^|, )app;dur=1(,|$)/);
    expect(header).toMatch(/(^|, )work;dur=[\d.]+(,|$)/);
    expect(metricsByName(header).trace?.description).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(metricsByName(header).traceparent).toBeDefined();
  });

  it('throws a TypeError that says what to fix for invalid options', () => {
    expect(() => serverTiming({ tracer: 'mine' as never })).toThrow(
      /option `tracer` must be an OpenTelemetry Tracer/,
    );
    expect(() => serverTiming({ crossorigin: '*' } as never)).toThrow(/unknown option `crossorigin`/);
    expect(() => serverTiming({ crossOrigin: 'app.example/path' })).toThrow(TypeError);
    expect(() => serverTiming({ maxBytes: 10 })).toThrow(/maxBytes/);
    expect(() => serverTiming('yes' as never)).toThrow(TypeError);
  });
});

describe('handler metrics', () => {
  it('never throw, whatever they are given or however they are called', async () => {
    const app = new Hono<Env>();
    app.use(serverTiming());
    app.get('/', (c) => {
      const recorder = c.get('serverTiming');
      const { add } = recorder;
      add({ name: 'detached' });
      recorder.add(undefined as never);
      recorder.add({ name: '' });
      recorder.add({
        get name(): string {
          throw new Error('hostile getter');
        },
      });
      for (let i = 0; i < 100; i++) recorder.add({ name: `m${i}`, duration: i });
      addServerTiming(null as never, { name: 'nowhere' });
      addServerTiming(c, { name: 'helper', duration: Number.NaN, description: 7 as never });
      return c.text('ok');
    });
    const response = await app.request('/');
    expect(response.status).toBe(200);
    const metrics = metricsByName(response.headers.get('server-timing'));
    expect(metrics.helper).toBeUndefined(); // past the 64 kept
    expect(metrics.detached).toBeUndefined();
    expect(Object.keys(metrics).length).toBeLessThanOrEqual(17); // maxMetrics (16) plus `other`
    expect(reported.some((message) => message.includes('detached'))).toBe(true);
  });

  it('keeps a copy of each metric, so changing it later changes nothing', async () => {
    const app = new Hono<Env>();
    app.use(serverTiming());
    app.get('/', (c) => {
      const metric = { name: 'cache', duration: 2 };
      c.get('serverTiming').add(metric);
      metric.name = 'changed\r\n';
      addServerTiming(c, { name: 'helper', duration: Number.NaN, description: 7 as never });
      return c.text('ok');
    });
    const response = await app.request('/');
    expect(response.headers.get('server-timing')).toBe('cache;dur=2, helper');
  });
});
