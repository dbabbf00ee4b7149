import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import {
  type AdapterDriver,
  closeServer,
  type Route,
  type Served,
  setUpAdapterSuite,
  testEntryPointContract,
} from '@otel-server-timing/adapter-test-kit';
import { Hono, type MiddlewareHandler } from 'hono';
import { describe } from 'vitest';
import { type HonoServerTimingOptions, type ServerTimingVariables, serverTiming } from '../src/index.js';

// The shared contract for Hono, on @hono/node-server (server spans from instrumentation-http) and as a
// Fetch app called directly (server spans started by the middleware, with the `tracer` option). No Hono
// instrumentation runs: Hono's own middleware makes no spans.
const suite = setUpAdapterSuite(undefined, () => ({}));

type App = Hono<{ Variables: ServerTimingVariables }>;

/** Hono middleware of the app's own, which the framework would time if an instrumentation traced it. */
const authenticate: MiddlewareHandler = async (_c, next) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  await next();
};

/** How a Hono app is run. */
const RUNTIMES: Record<string, { options(options?: object): object; run(app: App): Promise<Served> }> = {
  '@hono/node-server': {
    options: (options) => ({ ...options }),
    run: (app) =>
      new Promise((resolve) => {
        const server = serve(
          // node:http as instrumentation-http patched it, so its server spans are the requests' roots.
          { fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer: suite.tracing.http.createServer },
          (info) => resolve(`http://127.0.0.1:${info.port}`),
        ) as Server;
        suite.afterTest(() => closeServer(server));
      }),
  },
  'a Fetch app': {
    options: (options) => ({ ...options, tracer: suite.tracing.tracer }),
    run: async (app) => (request) => app.request(request),
  },
};

function driver(runtime: string): AdapterDriver {
  const { options: withRuntime, run } = RUNTIMES[runtime]!;
  const middleware = (options?: object) => serverTiming(withRuntime(options) as HonoServerTimingOptions);
  return {
    owner: '@otel-server-timing/hono',
    frameworkAttribute: undefined,
    canSkip: false,
    serve(options, route: Route) {
      const app: App = new Hono();
      app.use(middleware(options));
      app.use(authenticate);
      app.all('*', async (c) => {
        const tools = {
          add: c.get('serverTiming').add.bind(c.get('serverTiming')),
          setHeader: (name: string, value: string) => c.header(name, value),
        };
        await route(tools, c.req.path);
        return c.text('ok');
      });
      return run(app);
    },
    setUp: async (options) => {
      new Hono().use(middleware(options));
    },
  };
}

describe.each(Object.keys(RUNTIMES))('hono on %s', (runtime) => {
  testEntryPointContract(
    suite,
    () => driver(runtime),
    () => (handler) => {
      const app: App = new Hono();
      app.use(serverTiming(RUNTIMES[runtime]!.options() as HonoServerTimingOptions));
      app.all(
        '*',
        (c) => new Promise<Response>((resolve) => handler(c.req.path, (body) => resolve(c.text(body)))),
      );
      return RUNTIMES[runtime]!.run(app);
    },
  );
});
