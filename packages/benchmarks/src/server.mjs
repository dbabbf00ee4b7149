// @ts-check
// One benchmark server, run in its own process by lib/server-process.mjs:
//   node server.mjs <express|fastify|koa|hono|node|zero-code> <config> [options JSON]
// Configs (the route does the same work in each, two child operations: a "query" and a "cache read"):
//   none           no tracing, the operations run bare
//   otel           OpenTelemetry: instrumentation-http + the framework's instrumentation (Express:
//                  instrumentation-express; Fastify: @fastify/otel; Koa: instrumentation-koa; Hono on
//                  @hono/node-server and plain node:http: instrumentation-http only), a BatchSpanProcessor
//                  with a no-op exporter; each operation is a span
//   otel-noop      the same plus an empty middleware or onRequest hook where the adapter would be: what
//                  any middleware costs under the framework's instrumentation
//   otel-header    otel-noop whose middleware or hook also sets a constant Server-Timing header of the
//                  usual length: the floor for any Server-Timing writer (one more header to send)
//   otel-untraced-noop, otel-untraced-header   the same two, made untraced the way this project's adapters
//                  make theirs (Fastify: the `addHook` @fastify/otel keeps; Koa: the mark that
//                  instrumentation-koa passes over; both from the adapters' `/internal` entries): the
//                  floor for our adapters, which are not traced either (Fastify and Koa only)
//   server-timing  OpenTelemetry plus ServerTimingSpanProcessor and this project's adapter, as the README's
//                  quick start sets them up (`app.use(serverTiming())`, `app.register(serverTiming)`,
//                  `new NodeServerTiming().attach(req, res)` on node:http)
//   server-timing-hook  OpenTelemetry plus the processor, responses attached by instrumentation-http's
//                  responseHook (@otel-server-timing/node's composeResponseHook): no middleware at all
//   processor-only, adapter-only   (3) with only one of its two parts, to see what each costs
//   Bisection of (3), each step adding one part: processor-only (the processor, no adapter);
//   intercept-only (+ the writeHead/end interception installed, nothing attached); attach-empty (+ the
//   adapter attached to every response, the processor's header and trailer replaced by ''); attach-const
//   (the same, a constant header of the usual length instead of the built one); server-timing (full).
//   manual         no tracing; the `server-timing` npm middleware, each operation timed by hand with
//                  res.startTime/res.endTime (Express, Fastify, Koa, node:http)
// zero-code: a node:http app with no tracing code of its own, started by the benchmark with
//   `--import @opentelemetry/auto-instrumentations-node/register` (config `upstream`) or
//   `--import @otel-server-timing/node/register` (config `server-timing`); both export over OTLP.
// Options: { "sampleEvery": n } keeps WeakRefs to every n-th request's root span, request record and
// response (for the soak test's "nothing survives" check); { "packages": dir } loads this project's
// packages (core, node, express, fastify, koa, hono) from another checkout's packages/ folder, built.
// IPC: sends { type: 'ready', port } when listening; answers { type, id } requests with { id, value }:
//   cpu        process.cpuUsage() user + system, µs
//   spans      spans exported so far (after a flush); null for zero-code (its SDK exports them)
//   heap       heapUsed in bytes after the exporter flushed and a forced GC (needs --expose-gc)
//   survivors  how many sampled objects are still alive after the same (needs --expose-gc)
// SIGTERM ends it normally, so `--cpu-prof` writes its profile.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SpanKind, trace } from '@opentelemetry/api';

const require = createRequire(import.meta.url);
const [framework = 'express', config = 'none', optionsJson = '{}'] = process.argv.slice(2);
/** @type {{ sampleEvery?: number, packages?: string }} */
const options = JSON.parse(optionsJson);
const FRAMEWORKS = ['express', 'fastify', 'koa', 'hono', 'node', 'zero-code'];
const CONFIGS =
  framework === 'zero-code'
    ? ['upstream', 'server-timing']
    : [
        'none',
        'otel',
        'otel-noop',
        'otel-header',
        'otel-untraced-noop',
        'otel-untraced-header',
        'server-timing',
        'server-timing-hook',
        'server-timing-ignored',
        'manual',
        'processor-only',
        'adapter-only',
        'intercept-only',
        'attach-empty',
        'attach-const',
      ];
if (!FRAMEWORKS.includes(framework) || !CONFIGS.includes(config)) {
  throw new Error(`usage: server.mjs <${FRAMEWORKS.join('|')}> <${CONFIGS.join('|')}> [options JSON]`);
}
const zeroCode = framework === 'zero-code';
/** The untraced floor configurations: a hook or middleware our adapters' way, `header` also sets one. */
const untraced = { 'otel-untraced-noop': false, 'otel-untraced-header': true }[config];
if (untraced !== undefined && framework !== 'fastify' && framework !== 'koa') {
  throw new Error(`${config} is for Fastify and Koa only`);
}
/** Whether the route's operations are spans (zero-code: traced by the SDK its `--import` started). */
const traced = config !== 'none' && config !== 'manual';
/**
 * One of this project's packages: the workspace's, or the one in `options.packages`.
 * @param {'core' | 'node' | 'node/internal' | 'express' | 'fastify' | 'fastify/internal' | 'koa' | 'koa/internal' | 'hono'} name
 */
const ours = (name) => {
  const specifier = `@otel-server-timing/${name}`;
  if (options.packages === undefined) return require(specifier);
  // Through the package's own `exports` (a self-reference from inside it), so the other checkout's copy
  // resolves by the same conditions as the workspace's: a directory path would take `main`, which for
  // hono is its Fetch entry, not the Node one.
  const packageJson = join(options.packages, /** @type {string} */ (name.split('/')[0]), 'package.json');
  return createRequire(packageJson)(specifier);
};
/** @type {Record<string, string>} What the bisection configs write instead of the built header. */
const HEADER_STAND_INS = {
  'attach-empty': '',
  'attach-const':
    'postgresql;dur=0.02;desc="SELECT users", cache_get;dur=0.01;desc="cache get", total;dur=0.41, traceparent;desc="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"',
};
/** The value `otel-header` sets: the length of the header the route's two operations usually give. */
const CONSTANT_HEADER = HEADER_STAND_INS['attach-const'] ?? '';
const RECORD_KEY_DESCRIPTION = '@otel-server-timing/core.record';

/** WeakRefs to sampled per-request objects, by kind. @type {Record<string, WeakRef<object>[]>} */
const samples = { 'root spans': [], 'request records': [], responses: [] };
let seen = 0;

/**
 * Keeps WeakRefs to every n-th request's root span, its request record and its response.
 * @param {object} span
 * @param {object} response
 */
function sample(span, response) {
  const every = options.sampleEvery;
  if (every === undefined || seen++ % every !== 0) return;
  samples['root spans']?.push(new WeakRef(span));
  samples.responses?.push(new WeakRef(response));
  const key = Object.getOwnPropertySymbols(span).find(
    (symbol) => symbol.description === RECORD_KEY_DESCRIPTION,
  );
  const record = key === undefined ? undefined : /** @type {any} */ (span)[key];
  if (record !== undefined) samples['request records']?.push(new WeakRef(record));
}

/** Spans the exporter has been handed, to check that a configuration traces what it should. */
let exportedSpans = 0;

/** The framework's own instrumentation, as its quick start has it (none for Hono and node:http). */
function frameworkInstrumentations() {
  if (framework === 'express') {
    const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
    return [
      new ExpressInstrumentation(
        config === 'server-timing-ignored' ? { ignoreLayers: [/serverTimingMiddleware$/] } : {},
      ),
    ];
  }
  if (framework === 'fastify') {
    const { FastifyOtelInstrumentation } = require('@fastify/otel');
    return [new FastifyOtelInstrumentation({ registerOnInitialization: true })];
  }
  if (framework === 'koa') return [new (require('@opentelemetry/instrumentation-koa').KoaInstrumentation)()];
  return [];
}

/** Registers the SDK and the instrumentations; must run before the framework is loaded. */
function startTracing() {
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  /** An exporter that drops everything (counting it): the SDK's own export path without I/O. */
  const noopExporter = {
    export(/** @type {unknown[]} */ spans, /** @type {(result: { code: number }) => void} */ done) {
      exportedSpans += spans.length;
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
  /** @type {import('@opentelemetry/sdk-trace-base').SpanProcessor[]} */
  const spanProcessors = [new BatchSpanProcessor(noopExporter)];
  const withProcessor = [
    'server-timing',
    'server-timing-hook',
    'server-timing-ignored',
    'processor-only',
    'intercept-only',
    'attach-empty',
    'attach-const',
  ];
  if (withProcessor.includes(config)) {
    const { ServerTimingSpanProcessor } = ours('core');
    const processor = new ServerTimingSpanProcessor();
    const fixed = HEADER_STAND_INS[config];
    if (fixed !== undefined) {
      // Bisection: everything but building the header (the value the processor would have written).
      processor.header = () => fixed;
      processor.trailer = () => '';
    }
    spanProcessors.unshift(processor);
  }
  if (config === 'intercept-only') ours('node/internal').interceptResponses();
  const provider = new NodeTracerProvider({ spanProcessors });
  provider.register();
  const sampling = options.sampleEvery === undefined ? undefined : sample;
  /** @type {import('@opentelemetry/instrumentation-http').HttpInstrumentationConfig} */
  const httpOptions = {};
  if (config === 'server-timing-hook') {
    httpOptions.responseHook = ours('node').composeResponseHook(sampling);
  } else if (sampling !== undefined) {
    httpOptions.responseHook = sampling;
  }
  // Constructed after @otel-server-timing/node is loaded (it loads node:http), as in a tracing file whose
  // imports all come first: once one instrumentation exists, a module loaded before instrumentation-http
  // is constructed is never patched by it (OpenTelemetry's shared require hook remembers it as seen).
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new HttpInstrumentation(httpOptions), ...frameworkInstrumentations()],
  });
  return provider;
}

const provider = traced && !zeroCode ? startTracing() : undefined;
const tracer = trace.getTracer('benchmark');

// The route's work: two trivial operations (a user "query" and a profile "cache read").
const users = new Map([['42', { id: 42, name: 'Ada' }]]);
const profiles = new Map([['42', { theme: 'dark' }]]);
/** @param {string} id */
const findUser = (id) => users.get(id) ?? { id: Number(id), name: 'unknown' };
/** @param {string} id */
const readProfile = (id) => profiles.get(id) ?? {};

/**
 * Runs the route's work as the config times it and returns the response body.
 * @param {string} id
 * @param {any} response the Node response (the `server-timing` middleware puts startTime/endTime on it)
 */
function work(id, response) {
  if (traced) {
    const query = tracer.startSpan('SELECT users', {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql' },
    });
    const user = findUser(id);
    query.end();
    const cache = tracer.startSpan('cache get');
    const profile = readProfile(id);
    cache.end();
    return { user, profile };
  }
  if (config === 'manual') {
    response.startTime('db', 'SELECT users');
    const user = findUser(id);
    response.endTime('db');
    response.startTime('cache', 'cache get');
    const profile = readProfile(id);
    response.endTime('cache');
    return { user, profile };
  }
  return { user: findUser(id), profile: readProfile(id) };
}

/** @returns {Promise<import('node:http').Server>} */
async function expressServer() {
  const http = require('node:http');
  const app = require('express')();
  if (withAdapter.includes(config)) app.use(ours('express').serverTiming());
  if (config === 'manual') app.use(require('server-timing')());
  if (config === 'otel-noop')
    app.use((/** @type {any} */ _req, /** @type {any} */ _res, /** @type {() => void} */ next) => next());
  if (config === 'otel-header')
    app.use((/** @type {any} */ _req, /** @type {any} */ res, /** @type {() => void} */ next) => {
      res.setHeader('Server-Timing', CONSTANT_HEADER);
      next();
    });
  app.get('/users/:id', (/** @type {any} */ req, /** @type {any} */ res) => {
    res.json(work(req.params.id, res));
  });
  return http.createServer(app);
}

/** @returns {Promise<import('node:http').Server>} */
async function fastifyServer() {
  if (config === 'server-timing-ignored') throw new Error('server-timing-ignored is for Express only');
  const app = require('fastify')();
  if (withAdapter.includes(config)) app.register(ours('fastify').serverTiming);
  if (config === 'manual') {
    const middleware = require('server-timing')();
    app.addHook(
      'onRequest',
      (/** @type {any} */ request, /** @type {any} */ reply, /** @type {any} */ done) =>
        middleware(request.raw, reply.raw, done),
    );
  }
  if (config === 'otel-noop') {
    app.addHook(
      'onRequest',
      (/** @type {any} */ _request, /** @type {any} */ _reply, /** @type {() => void} */ done) => done(),
    );
  }
  if (config === 'otel-header') {
    app.addHook(
      'onRequest',
      (/** @type {any} */ _request, /** @type {any} */ reply, /** @type {() => void} */ done) => {
        reply.header('Server-Timing', CONSTANT_HEADER);
        done();
      },
    );
  }
  if (untraced !== undefined) {
    const { addUntracedHook } = ours('fastify/internal');
    // Added from a plugin, as the adapter adds its hook: @fastify/otel keeps Fastify's `addHook` on the
    // instance once its own plugin (registered on initialization) has run.
    const untracedHookPlugin = (
      /** @type {any} */ instance,
      /** @type {unknown} */ _options,
      /** @type {() => void} */ done,
    ) => {
      const stillTraced = addUntracedHook(
        instance,
        'onRequest',
        (/** @type {any} */ _request, /** @type {any} */ reply, /** @type {() => void} */ hookDone) => {
          if (untraced) reply.header('Server-Timing', CONSTANT_HEADER);
          hookDone();
        },
      );
      if (stillTraced) throw new Error(`${config}: @fastify/otel's kept addHook was not found`);
      done();
    };
    app.register(Object.assign(untracedHookPlugin, { [Symbol.for('skip-override')]: true }));
  }
  app.get('/users/:id', async (/** @type {any} */ request, /** @type {any} */ reply) =>
    work(request.params.id, reply.raw),
  );
  await app.ready();
  return app.server;
}

const withAdapter = [
  'server-timing',
  'server-timing-ignored',
  'adapter-only',
  'attach-empty',
  'attach-const',
];

/**
 * The `server-timing` npm middleware (Express-style), run on the raw request and response.
 * @returns {(request: any, response: any) => Promise<void>}
 */
function manualTiming() {
  const middleware = require('server-timing')();
  return (request, response) =>
    new Promise((resolve) => {
      middleware(request, response, resolve);
    });
}

/** @returns {Promise<import('node:http').Server>} */
async function koaServer() {
  const Koa = /** @type {any} */ (require('koa'));
  const app = new Koa();
  if (withAdapter.includes(config)) app.use(ours('koa').serverTiming());
  if (config === 'manual') {
    const timing = manualTiming();
    app.use(async (/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
      await timing(ctx.req, ctx.res);
      await next();
    });
  }
  if (config === 'otel-noop')
    app.use((/** @type {any} */ _ctx, /** @type {() => Promise<void>} */ next) => next());
  if (config === 'otel-header')
    app.use((/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
      ctx.set('Server-Timing', CONSTANT_HEADER);
      return next();
    });
  if (untraced !== undefined) {
    const { untracedMiddleware } = ours('koa/internal');
    app.use(
      untracedMiddleware((/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
        if (untraced) ctx.set('Server-Timing', CONSTANT_HEADER);
        return next();
      }),
    );
  }
  app.use((/** @type {any} */ ctx) => {
    ctx.body = work(ctx.path.split('/').pop(), ctx.res);
  });
  return require('node:http').createServer(app.callback());
}

/** @returns {Promise<import('node:http').Server>} */
async function honoServer() {
  if (config === 'manual') throw new Error('manual is not measured on Hono');
  const { Hono } = require('hono');
  const { createAdaptorServer } = require('@hono/node-server');
  const app = new Hono();
  if (withAdapter.includes(config)) app.use(ours('hono').serverTiming());
  if (config === 'otel-noop')
    app.use((/** @type {any} */ _c, /** @type {() => Promise<void>} */ next) => next());
  if (config === 'otel-header')
    app.use((/** @type {any} */ c, /** @type {() => Promise<void>} */ next) => {
      c.header('Server-Timing', CONSTANT_HEADER);
      return next();
    });
  app.get('/users/:id', (/** @type {any} */ c) => c.json(work(c.req.param('id'), undefined)));
  return /** @type {import('node:http').Server} */ (createAdaptorServer({ fetch: app.fetch }));
}

/** A plain node:http server (also the zero-code app, which has no tracing code of its own). */
async function nodeServer() {
  const http = require('node:http');
  const attach =
    withAdapter.includes(config) && !zeroCode ? new (ours('node').NodeServerTiming)() : undefined;
  const timing = config === 'manual' ? manualTiming() : undefined;
  return http.createServer(async (request, response) => {
    attach?.attach(request, response);
    if (config === 'otel-header') response.setHeader('Server-Timing', CONSTANT_HEADER);
    if (timing !== undefined) await timing(request, response);
    const body = JSON.stringify(work(String(request.url).split('/').pop() ?? '', response));
    response.setHeader('content-type', 'application/json');
    response.end(body);
  });
}

/** @type {Record<string, () => Promise<import('node:http').Server>>} */
const SERVERS = {
  express: expressServer,
  fastify: fastifyServer,
  koa: koaServer,
  hono: honoServer,
  node: nodeServer,
  'zero-code': nodeServer,
};

/** Lets the exporter drain and collects garbage until the heap stops shrinking. */
async function settle() {
  await provider?.forceFlush();
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  if (gc === undefined) throw new Error('start the server with --expose-gc');
  let before = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 10; pass++) {
    await nextTurn();
    gc();
    const after = process.memoryUsage().heapUsed;
    if (after >= before) break;
    before = after;
  }
}

/** @type {Record<string, () => unknown>} */
const requests = {
  cpu() {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  async spans() {
    if (zeroCode) return null;
    await provider?.forceFlush();
    return exportedSpans;
  },
  async heap() {
    await settle();
    return process.memoryUsage().heapUsed;
  },
  async survivors() {
    await settle();
    return Object.fromEntries(
      Object.entries(samples).map(([kind, refs]) => [
        kind,
        { sampled: refs.length, alive: refs.filter((ref) => ref.deref() !== undefined).length },
      ]),
    );
  },
};

const server = await /** @type {() => Promise<import('node:http').Server>} */ (SERVERS[framework])();
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.on('message', async (/** @type {{ type: string, id: number }} */ message) => {
  const handler = requests[message.type];
  const value = handler === undefined ? undefined : await handler();
  process.send?.({ id: message.id, value });
});
process.on('SIGTERM', () => {
  server.close();
  void Promise.resolve(provider?.shutdown()).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
