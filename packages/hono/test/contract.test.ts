import {
  type AdapterDriver,
  type Route,
  type Served,
  setUpAdapterSuite,
  testEntryPointContract,
} from '@otel-server-timing/adapter-test-kit';
import { Hono, type MiddlewareHandler } from 'hono';
import { describe } from 'vitest';
import { serverTiming as portableServerTiming } from '../src/index.js';
import { serverTiming as nodeServerTiming } from '../src/node.js';
import type { HonoServerTimingOptions, ServerTimingVariables } from '../src/types.js';
import { serveOnNodeServer } from './support/node-server.js';

// The shared contract for Hono, on @hono/node-server (server spans from instrumentation-http) and as a
// Fetch app called directly (server spans started by the middleware, with the `tracer` option). No Hono
// instrumentation runs: Hono's own middleware makes no spans. On @hono/node-server, both entries: Node's
// (the header written by Node at the first byte) and the one of other runtimes (written onto the Response).
const suite = setUpAdapterSuite(undefined, () => ({}));

type App = Hono<{ Variables: ServerTimingVariables }>;

/** Hono middleware of the app's own, which the framework would time if an instrumentation traced it. */
const authenticate: MiddlewareHandler = async (_c, next) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  await next();
};

async function onNodeServer(app: App): Promise<Served> {
  return `http://127.0.0.1:${await serveOnNodeServer(suite, app.fetch)}`;
}

/** How a Hono app is run, and which entry of this package it imports. */
const RUNTIMES: Record<
  string,
  {
    serverTiming: typeof nodeServerTiming;
    options(options?: object): object;
    run(app: App): Promise<Served>;
  }
> = {
  '@hono/node-server (Node entry)': {
    serverTiming: nodeServerTiming,
    options: (options) => ({ ...options }),
    run: onNodeServer,
  },
  '@hono/node-server (entry of other runtimes)': {
    serverTiming: portableServerTiming,
    options: (options) => ({ ...options }),
    run: onNodeServer,
  },
  'a Fetch app': {
    serverTiming: nodeServerTiming,
    options: (options) => ({ ...options, tracer: suite.tracing.tracer }),
    run: async (app) => (request) => app.request(request),
  },
};

function driver(runtime: string): AdapterDriver {
  const { serverTiming, options: withRuntime, run } = RUNTIMES[runtime]!;
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
      const { serverTiming, options } = RUNTIMES[runtime]!;
      const app: App = new Hono();
      app.use(serverTiming(options() as HonoServerTimingOptions));
      app.all(
        '*',
        (c) => new Promise<Response>((resolve) => handler(c.req.path, (body) => resolve(c.text(body)))),
      );
      return RUNTIMES[runtime]!.run(app);
    },
  );
});
