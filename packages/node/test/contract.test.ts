import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AdapterDriver,
  closeServer,
  listen,
  type Route,
  setUpAdapterSuite,
  testEntryPointContract,
} from '@otel-server-timing/adapter-test-kit';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import { describe } from 'vitest';
import {
  getResponseServerTiming,
  instrumentEveryServer,
  NodeServerTiming,
  type NodeServerTimingOptions,
  serverTimingResponseHook,
} from '../src/index.js';

// The shared contract for the three ways to use this package without a framework adapter: the node hook
// (`NodeServerTiming.attach` in the handler), instrumentation-http's `responseHook`, and
// `instrumentEveryServer`. No framework instrumentation runs here: there is no framework middleware.
const suite = setUpAdapterSuite(undefined, () => ({}));

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** How an entry point comes into play for a server's responses. */
type EntryPoint = {
  owner: string;
  /** Sets the entry point up with `options`; returns what to run first in each request's handler. */
  setUp(options: object | undefined): (req: IncomingMessage, res: ServerResponse) => void;
};

/** Stops the `instrumentEveryServer` set up last. */
let stopEveryServer = () => {};

const ENTRY_POINTS: Record<string, EntryPoint> = {
  'node hook (NodeServerTiming.attach)': {
    owner: '@otel-server-timing/node',
    setUp(options) {
      const timing = new NodeServerTiming(options as NodeServerTimingOptions);
      return (req, res) => timing.attach(req, res);
    },
  },
  "instrumentation-http's responseHook": {
    owner: '@otel-server-timing/node responseHook',
    setUp(options) {
      const { httpInstrumentation } = suite.tracing;
      const responseHook = serverTimingResponseHook(options as NodeServerTimingOptions);
      httpInstrumentation.setConfig({ ...httpInstrumentation.getConfig(), responseHook });
      // Taken out after the test, however many apps the test served.
      suite.afterTest(async () =>
        httpInstrumentation.setConfig({ ...httpInstrumentation.getConfig(), responseHook: undefined }),
      );
      return () => {};
    },
  },
  instrumentEveryServer: {
    owner: '@otel-server-timing/node instrumentEveryServer',
    setUp(options) {
      // Process-wide: the one set up last is the only one on (a test may serve several apps in turn).
      stopEveryServer();
      stopEveryServer = instrumentEveryServer(options as NodeServerTimingOptions);
      suite.afterTest(async () => stopEveryServer());
      return () => {};
    },
  },
};

/** A plain node:http server (closed after the test) whose handler first lets the entry point in. */
async function serveWith(entry: EntryPoint, options: object | undefined, handler: Handler): Promise<string> {
  const enter = entry.setUp(options);
  const server = suite.tracing.http.createServer((req, res) => {
    enter(req, res);
    handler(req, res);
  });
  suite.afterTest(() => closeServer(server));
  return listen(server);
}

function routeHandler(route: Route): Handler {
  return async (req, res) => {
    const tools = {
      add: (metric: ServerTimingMetric) => getResponseServerTiming(res)?.add(metric),
      setHeader: (name: string, value: string) => res.setHeader(name, value),
      skip: () => getResponseServerTiming(res)?.skip(),
    };
    await route(tools, new URL(req.url ?? '/', 'http://localhost').pathname);
    res.end('ok');
  };
}

function driver(name: string): AdapterDriver {
  const entry = ENTRY_POINTS[name]!;
  return {
    owner: entry.owner,
    frameworkAttribute: undefined,
    canSkip: true,
    serve: (options, route) => serveWith(entry, options, routeHandler(route)),
    setUp: async (options) => {
      entry.setUp(options);
    },
  };
}

describe.each(Object.keys(ENTRY_POINTS))('%s', (name) => {
  testEntryPointContract(
    suite,
    () => driver(name),
    () => (handler) =>
      serveWith(ENTRY_POINTS[name]!, undefined, (req, res) =>
        handler(new URL(req.url ?? '/', 'http://localhost').pathname, (body) => res.end(body)),
      ),
  );
});
