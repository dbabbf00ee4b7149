import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import {
  type AdapterDriver,
  request,
  setUpAdapterSuite,
  testAdapterContract,
  testIsolationUnderLoad,
  testPrivacyLevels,
  testResponsesFromOtherContexts,
  waitForSettledRequest,
} from '@otel-server-timing/adapter-test-kit';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import serverTimingDefault, { type FastifyServerTimingOptions, serverTiming } from '../src/index.js';

type FastifyFactory = typeof import('fastify').default;

const suite = setUpAdapterSuite<FastifyFactory>(
  new FastifyOtelInstrumentation({ registerOnInitialization: true }),
  () => {
    const requireHere = createRequire(import.meta.url);
    return {
      'fastify 5': requireHere('fastify'),
      // Fastify 4 under its real module name (a workspace package that depends on it).
      'fastify 4': requireHere('@otel-server-timing/test-fastify4'),
    };
  },
);

function createApp(major: string): FastifyInstance {
  const app = suite.majors[major]!();
  suite.afterTest(() => app.close());
  return app;
}

const serve = (app: FastifyInstance) => app.listen({ port: 0, host: '127.0.0.1' });

function driver(major: string): AdapterDriver {
  return {
    owner: '@otel-server-timing/fastify',
    frameworkAttribute: 'fastify.type',
    canSkip: true,
    serve(options, route) {
      const app = createApp(major);
      app.register(serverTiming, options as FastifyServerTimingOptions);
      app.addHook('preHandler', async function authenticate() {
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
      app.get('/*', async (req, reply) => {
        const tools = {
          add: reply.serverTiming.add.bind(reply.serverTiming),
          setHeader: reply.header.bind(reply),
          skip: reply.serverTiming.skip.bind(reply.serverTiming),
        };
        await route(tools, req.url);
        return 'ok';
      });
      return serve(app);
    },
    setUp: async (options) => {
      await createApp(major)
        .register(serverTiming, options as FastifyServerTimingOptions)
        .ready();
    },
  };
}

describe.each(['fastify 5', 'fastify 4'])('%s', (major) => {
  testAdapterContract(suite, () => driver(major));
  testPrivacyLevels(() => driver(major));

  it('is the default export too, and applies to the whole app (skip-override)', async () => {
    const app = createApp(major);
    app.register(serverTimingDefault);
    app.register(async (child) => {
      child.get('/child', async () => 'child');
    });
    app.get('/', async () => 'root');
    const origin = await serve(app);
    expect(app.hasPlugin('@otel-server-timing/fastify')).toBe(true);
    for (const path of ['/', '/child']) expect((await request(origin + path)).traceContext).toBeDefined();
  });

  it('leaves a route out with config: { serverTiming: false }, and passes the Fastify request to enabled', async () => {
    const app = createApp(major);
    const routes: (string | undefined)[] = [];
    app.register(serverTiming, {
      enabled: (req) => {
        routes.push(req.routeOptions.url);
        return true;
      },
    });
    app.get('/health', { config: { serverTiming: false } }, async (_request, reply) => {
      reply.serverTiming.add({ name: 'ignored', duration: 1 });
      return 'healthy';
    });
    app.get('/users/:id', async () => 'user');
    const origin = await serve(app);
    const health = await request(`${origin}/health`);
    const user = await request(`${origin}/users/7`);
    expect(health.body).toBe('healthy');
    expect(health.serverTiming).toBeNull();
    expect(user.traceContext).toBeDefined();
    expect(routes).toEqual(['/users/:id']);
  });

  it("keeps a Server-Timing set on the raw response, and accepts Fastify's register options", async () => {
    const app = createApp(major);
    app.register(serverTiming, { prefix: '/ignored', logLevel: 'warn' } as FastifyServerTimingOptions);
    app.get('/', async (_request, reply) => {
      reply.raw.setHeader('Server-Timing', 'raw;dur=2');
      return 'ok';
    });
    const response = await request(await serve(app));
    expect(response.metrics[0]).toEqual({ name: 'raw', duration: 2, description: '' });
    expect(response.traceContext).toBeDefined();
  });

  testResponsesFromOtherContexts(suite, () => (handler) => {
    const app = createApp(major);
    app.register(serverTiming);
    app.get('/*', (req, reply) => handler(req.url, (body) => reply.send(body)));
    return serve(app);
  });

  it('is not a span of @fastify/otel, which still traces the request, the other hooks and the handler', async () => {
    const app = createApp(major);
    app.register(serverTiming);
    app.addHook('onRequest', async function checkToken() {});
    app.get('/users/:id', async (_request, reply) => {
      reply.serverTiming.add({ name: 'own', duration: 1 });
      return 'user';
    });
    const origin = await serve(app);
    for (const id of [1, 2]) {
      const response = await request(`${origin}/users/${id}`);
      expect(response.metrics.find((entry) => entry.name === 'own')?.duration).toBe(1);
      const spans = await waitForSettledRequest(suite.tracing, response.traceContext!.spanId);
      const names = spans.map((span) => span.name);
      expect(names).toEqual(expect.arrayContaining(['request', 'onRequest - checkToken']));
      expect(names.some((name) => name.startsWith('handler - '))).toBe(true);
      expect(names.filter((name) => name.includes('serverTimingMiddleware'))).toEqual([]);
    }
  });
});

describe('fastify 5 under load', () => {
  testIsolationUnderLoad(suite, () => driver('fastify 5'));
});
