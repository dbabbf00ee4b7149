import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import type { Span } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { serverSpans, timedSpan, useTracing } from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { addServerTiming as addRequestServerTiming, withServerTiming } from '@otel-server-timing/fetch';
import {
  instrumentEveryServer,
  type NodeRequest,
  type NodeResponse,
  NodeServerTiming,
  serverTimingResponseHook,
} from '@otel-server-timing/node';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { serverTiming as portableServerTiming } from '../src/index.js';
import { serverTiming as nodeServerTiming } from '../src/node.js';
import type { ServerTimingVariables } from '../src/types.js';

/**
 * Every writer of one response, each of which could write a Server-Timing value of its own:
 * - `middleware`: this package's Hono middleware, from the Node entry (which writes through the Node
 *   response); `fetch-middleware`: the same from the entry of other runtimes (onto the Web Response);
 * - `wrapper`: `withServerTiming` (the Fetch package) around `app.fetch`;
 * - `hook`: instrumentation-http's `responseHook` with `serverTimingResponseHook()`;
 * - `every`: `instrumentEveryServer()` (Node's request channel, as for Next.js);
 * - `adapter`: an explicit `NodeServerTiming.attach` on the Node response, what the Express, Fastify and
 *   Koa adapters do.
 */
const WRITERS = ['middleware', 'fetch-middleware', 'wrapper', 'hook', 'every', 'adapter'] as const;
type Writer = (typeof WRITERS)[number];

/** Every non-empty set of writers with at most one middleware. */
const COMBINATIONS: Writer[][] = [];
for (let mask = 1; mask < 1 << WRITERS.length; mask++) {
  const set = WRITERS.filter((_, index) => (mask & (1 << index)) !== 0);
  if (!(set.includes('middleware') && set.includes('fetch-middleware'))) COMBINATIONS.push(set);
}

let writers = new Set<Writer>();
const hook = serverTimingResponseHook();
const tracing = useTracing();
const instrumentation = new HttpInstrumentation({
  responseHook: (span, response) => {
    if (writers.has('hook')) hook(span as Span, response);
  },
});
registerInstrumentations({ instrumentations: [instrumentation], tracerProvider: tracing.provider });
afterAll(() => instrumentation.disable());
// Loaded after the instrumentation, so that its require hook patches the server.
createRequire(import.meta.url)('node:http');

const adapter = new NodeServerTiming();
let fetchHandler: (request: Request) => Response | Promise<Response> = () => new Response('not set');

const server = await new Promise<Server>((resolve) => {
  const started = serve({ fetch: (request) => fetchHandler(request), port: 0, hostname: '127.0.0.1' }, () =>
    resolve(started as Server),
  ) as Server;
});
server.prependListener('request', (request: NodeRequest, response: NodeResponse) => {
  if (writers.has('adapter')) adapter.attach(request, response)?.add({ name: 'adapter', duration: 1 });
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
const { port } = server.address() as { port: number };

/** The app and handler for one set of writers; each writer adds a metric of its own. */
function handlerFor(set: ReadonlySet<Writer>): (request: Request) => Response | Promise<Response> {
  const app = new Hono<{ Variables: ServerTimingVariables }>();
  if (set.has('middleware')) app.use(nodeServerTiming());
  if (set.has('fetch-middleware')) app.use(portableServerTiming());
  app.get('/', async (c) => {
    await timedSpan(tracing.tracer, 'SELECT', 2);
    if (set.has('middleware') || set.has('fetch-middleware')) {
      c.get('serverTiming').add({ name: 'middleware', duration: 1 });
    }
    addRequestServerTiming(c.req.raw, { name: 'wrapper', duration: 1 });
    return c.text('ok');
  });
  return set.has('wrapper') ? withServerTiming(app.fetch) : app.fetch;
}

describe('one header per response, whatever the writers', () => {
  it.each(COMBINATIONS.map((set) => [set.join(' + '), set] as const))('%s', async (_name, set) => {
    writers = new Set(set);
    fetchHandler = handlerFor(writers);
    const stopEvery = writers.has('every') ? instrumentEveryServer() : () => {};
    let header: string;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      await response.text();
      header = response.headers.get('server-timing') ?? '';
    } finally {
      stopEvery();
    }
    const names = parseServerTiming(header).map((metric) => metric.name);
    const count = (name: string) => names.filter((each) => each === name).length;
    expect(count('total'), header).toBe(1);
    expect(count('traceparent'), header).toBe(1);
    expect(count('postgresql'), header).toBe(1);
    // Each writer's own metric once; the wrapper's only when the wrapper is there to read it.
    const middleware = writers.has('middleware') || writers.has('fetch-middleware');
    expect(count('middleware'), header).toBe(middleware ? 1 : 0);
    for (const writer of ['wrapper', 'adapter'] as const) {
      expect(count(writer), header).toBe(writers.has(writer) ? 1 : 0);
    }
    const [exported] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(readTraceContext(parseServerTiming(header))?.spanId).toBe(exported?.spanContext().spanId);
    tracing.exporter.reset();
  });
});
