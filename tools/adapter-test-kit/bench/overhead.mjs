// Server CPU per request with and without an adapter, both apps in one instrumented process, loaded in
// alternating rounds by a client in another process. Run from an adapter package:
//   taskset -c 1 node ../../tools/adapter-test-kit/bench/overhead.mjs   (framework read from the package name)
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROUNDS = Number(process.env.ROUNDS ?? 16);
const REQUESTS = Number(process.env.REQUESTS ?? 3000);
const CONCURRENCY = 10;

if (process.argv[2] === 'client') {
  const { request, Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (port) =>
    new Promise((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/users/1', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
  process.on('message', async ({ port, requests }) => {
    let left = requests;
    const worker = async () => {
      while (left-- > 0) await get(port);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    process.send('done');
  });
} else {
  const packageJson = join(process.cwd(), 'package.json');
  const adapter = JSON.parse(readFileSync(packageJson, 'utf8')).name.split('/')[1];
  const fromPackage = createRequire(packageJson);
  const fromKit = createRequire(import.meta.url);
  const { NodeTracerProvider } = fromKit('@opentelemetry/sdk-trace-node');
  const { SimpleSpanProcessor, InMemorySpanExporter } = fromKit('@opentelemetry/sdk-trace-base');
  const { registerInstrumentations } = fromKit('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = fromKit('@opentelemetry/instrumentation-http');
  const { ServerTimingSpanProcessor } = fromKit('@otel-server-timing/core');
  const { trace } = fromKit('@opentelemetry/api');

  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new ServerTimingSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  const frameworkInstrumentation = {
    express: () => new (fromPackage('@opentelemetry/instrumentation-express').ExpressInstrumentation)(),
    fastify: () =>
      new (fromPackage('@fastify/otel').FastifyOtelInstrumentation)({ registerOnInitialization: true }),
    koa: () => new (fromPackage('@opentelemetry/instrumentation-koa').KoaInstrumentation)(),
  }[adapter];
  registerInstrumentations({ instrumentations: [new HttpInstrumentation(), frameworkInstrumentation()] });
  const http = fromKit('node:http');
  const { serverTiming } = fromPackage(`@otel-server-timing/${adapter}`);
  const tracer = trace.getTracer('bench');
  /** The route's work: two child spans, as in DESIGN.md's measurement. */
  const childWork = () => {
    tracer.startSpan('SELECT users', { attributes: { 'db.system.name': 'postgresql' } }).end();
    tracer.startSpan('cache get').end();
  };

  const apps = {
    express(withAdapter) {
      const app = fromPackage('express')();
      if (withAdapter) app.use(serverTiming());
      app.get('/users/:id', (_req, res) => {
        childWork();
        res.json({ id: 1 });
      });
      return http.createServer(app);
    },
    async fastify(withAdapter) {
      const app = fromPackage('fastify')();
      if (withAdapter) app.register(serverTiming);
      app.get('/users/:id', async () => {
        childWork();
        return { id: 1 };
      });
      await app.ready();
      return app.server;
    },
    koa(withAdapter) {
      const app = new (fromPackage('koa'))();
      if (withAdapter) app.use(serverTiming());
      app.use((ctx) => {
        childWork();
        ctx.body = { id: 1 };
      });
      return http.createServer(app.callback());
    },
  }[adapter];

  const listen = async (serverOrPromise) => {
    const server = await serverOrPromise;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const without = await listen(apps(false));
  const withAdapter = await listen(apps(true));
  const client = fork(new URL(import.meta.url), ['client']);
  const round = (server, requests) =>
    new Promise((resolve) => {
      const start = process.cpuUsage();
      client.once('message', () => {
        const used = process.cpuUsage(start);
        exporter.reset();
        resolve((used.user + used.system) / requests);
      });
      client.send({ port: server.address().port, requests });
    });

  await round(without, REQUESTS);
  await round(withAdapter, REQUESTS);
  const ratios = [];
  const perRequest = { without: [], with: [] };
  for (let index = 0; index < ROUNDS; index++) {
    const order = index % 2 === 0 ? [without, withAdapter] : [withAdapter, without];
    const cpu = new Map();
    for (const server of order) cpu.set(server, await round(server, REQUESTS));
    perRequest.without.push(cpu.get(without));
    perRequest.with.push(cpu.get(withAdapter));
    ratios.push(cpu.get(withAdapter) / cpu.get(without));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(
    `${adapter}: server CPU per request ${median(perRequest.without).toFixed(1)} µs without the adapter, ` +
      `${median(perRequest.with).toFixed(1)} µs with it; median ratio ${median(ratios).toFixed(3)} ` +
      `(${ROUNDS} alternating rounds of ${REQUESTS} requests)`,
  );
  client.kill();
  without.close();
  withAdapter.close();
  await provider.shutdown();
}
