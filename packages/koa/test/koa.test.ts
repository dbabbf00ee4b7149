import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';
import {
  type AdapterDriver,
  closeServer,
  listen,
  metric,
  request,
  setUpAdapterSuite,
  testAdapterContract,
  testIsolationUnderLoad,
  testPrivacyLevels,
  testResponsesFromOtherContexts,
} from '@otel-server-timing/adapter-test-kit';
import type Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { type KoaServerTimingOptions, serverTiming } from '../src/index.js';

const suite = setUpAdapterSuite<typeof Koa>(new KoaInstrumentation(), () => {
  const requireHere = createRequire(import.meta.url);
  return {
    'koa 3': requireHere('koa'),
    // Koa 2 under its real module name (a workspace package that depends on it), so it is patched too.
    'koa 2': requireHere('@otel-server-timing/test-koa2'),
  };
});

function serve(app: Koa): Promise<string> {
  const server = createServer(app.callback());
  suite.afterTest(() => closeServer(server));
  return listen(server);
}

async function authenticate(_ctx: Koa.Context, next: Koa.Next) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  await next();
}

function driver(major: string): AdapterDriver {
  return {
    owner: '@otel-server-timing/koa',
    frameworkAttribute: 'koa.type',
    canSkip: true,
    serve(options, route) {
      const app = new suite.majors[major]!();
      app.use(serverTiming(options as KoaServerTimingOptions));
      app.use(authenticate);
      app.use(async function handler(ctx) {
        const tools = {
          add: ctx.serverTiming.add.bind(ctx.serverTiming),
          setHeader: ctx.set.bind(ctx),
          skip: ctx.serverTiming.skip.bind(ctx.serverTiming),
        };
        await route(tools, ctx.path);
        ctx.body = 'ok';
      });
      return serve(app);
    },
    setUp: async (options) => {
      new suite.majors[major]!().use(serverTiming(options as KoaServerTimingOptions));
    },
  };
}

describe.each(['koa 3', 'koa 2'])('%s', (major) => {
  const createApp = () => new suite.majors[major]!();

  testAdapterContract(suite, () => driver(major));
  testPrivacyLevels(() => driver(major));

  it('is not traced by instrumentation-koa, while the middleware after it are', async () => {
    const app = createApp();
    app.use(serverTiming());
    // A function of its own: instrumentation-koa wraps a function once, in whichever app uses it first.
    app.use(async function checkAccess(_ctx, next) {
      await next();
    });
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const response = await request(await serve(app));
    expect(response.body).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const spans = suite.tracing.exporter
      .getFinishedSpans()
      .filter((span) => span.spanContext().traceId === response.traceContext?.traceId);
    const names = spans.map((span) => span.name);
    expect(names).toContain('middleware - checkAccess');
    expect(names.filter((name) => name.includes('serverTimingMiddleware'))).toEqual([]);
  });

  it('adds metrics from upstream middleware after next() too', async () => {
    const app = createApp();
    app.use(serverTiming());
    app.use(async (ctx, next) => {
      await next();
      ctx.serverTiming.add({ name: 'render', duration: 2 });
    });
    app.use((ctx) => {
      ctx.serverTiming.add({ name: 'cache', duration: 1.5, description: 'hit' });
      ctx.body = 'ok';
    });
    const response = await request(await serve(app));
    expect(response.metrics.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['cache', 'render', 'traceparent']),
    );
  });

  it('leaves a request out with ctx.state.serverTiming = false, and passes ctx as the handlers left it to enabled', async () => {
    const app = createApp();
    const seen: [string, number][] = [];
    app.use(
      serverTiming({
        enabled: (ctx) => {
          seen.push([ctx.path, ctx.status]);
          return ctx.status !== 418;
        },
      }),
    );
    app.use((ctx) => {
      if (ctx.path === '/health') ctx.state.serverTiming = false;
      ctx.serverTiming.add({ name: 'cache', duration: 1 });
      ctx.status = ctx.path === '/teapot' ? 418 : 200;
      ctx.body = ctx.path;
    });
    const origin = await serve(app);
    const [health, teapot, user] = await Promise.all([
      request(`${origin}/health`),
      request(`${origin}/teapot`),
      request(`${origin}/user`),
    ]);
    expect(health.body).toBe('/health');
    expect(health.serverTiming).toBeNull();
    expect(teapot.status).toBe(418);
    expect(teapot.serverTiming).toBeNull();
    expect(metric(user, 'cache')).toBeDefined();
    expect(seen.sort()).toEqual([
      ['/teapot', 418],
      ['/user', 200],
    ]);
  });

  it('times error responses too', async () => {
    const app = createApp();
    app.silent = true;
    app.use(serverTiming());
    app.use((ctx) => {
      ctx.serverTiming.add({ name: 'before-error', duration: 1 });
      ctx.throw(503, 'down for maintenance');
    });
    const response = await request(await serve(app));
    expect(response.status).toBe(503);
    expect(metric(response, 'before-error')).toBeDefined();
    expect(response.traceContext).toBeDefined();
  });

  it("attaches, and passes the error on, when a composer's next throws or returns no promise", async () => {
    const app = createApp();
    const middleware = serverTiming();
    const failure = new Error('the composer failed');
    const outcomes: unknown[] = [];
    // Koa's own composer turns a throw into a rejection and always returns a promise; another might not.
    const server = createServer(async (req, res) => {
      const ctx = app.createContext(req, res);
      const next = () => {
        ctx.serverTiming.add({ name: 'early', duration: 1 });
        if (req.url === '/throw') throw failure;
        return undefined as unknown as Promise<void>;
      };
      try {
        await middleware(ctx, next);
        outcomes.push('resolved');
      } catch (error) {
        outcomes.push(error);
      }
      ctx.serverTiming.add({ name: 'late', duration: 2 });
      res.end('ok');
    });
    suite.afterTest(() => closeServer(server));
    const origin = await listen(server);
    const [thrown, plain] = await Promise.all([request(`${origin}/throw`), request(`${origin}/plain`)]);
    expect(outcomes.sort()).toEqual([failure, 'resolved'].sort());
    for (const response of [thrown, plain]) {
      expect(metric(response, 'early')).toBeDefined();
      expect(metric(response, 'late')).toBeDefined();
      expect(response.traceContext).toBeDefined();
    }
  });

  // Koa decides after the downstream middleware: here a route's work is finished by a listener that
  // another request's handler fires, or by a batch that another request started.
  testResponsesFromOtherContexts(suite, () => (handler) => {
    const app = createApp();
    app.use(serverTiming());
    app.use(
      (ctx) =>
        new Promise<void>((resolve) => {
          handler(ctx.path, (body) => {
            ctx.body = body;
            resolve();
          });
        }),
    );
    return serve(app);
  });
});

describe('koa 3 under load', () => {
  testIsolationUnderLoad(suite, () => driver('koa 3'));
});
