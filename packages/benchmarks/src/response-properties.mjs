// @ts-check
// What touching a response object costs, per request, on Express and on plain node:http: the
// operations the Server-Timing hook makes on every response. Express replaces the prototype of each
// request and response (`Object.setPrototypeOf(res, app.response)`); after that V8 answers property
// additions, missing properties and prototype look-ups in the runtime instead of its inline caches.
//   node src/response-properties.mjs [--requests 12000] [--quick]
// One process, in-process servers and client; each operation is timed with process.hrtime.bigint()
// around it (about 50-100 ns of that is the clock itself). Medians over requests, after a warm-up.
import http from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from './lib/args.mjs';
import { machineLine } from './lib/machine.mjs';
import { median } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
const options = parseArgs(process.argv.slice(2), { requests: 12_000 }, { requests: 1_000 });
const ADDED = Symbol.for('@otel-server-timing/benchmarks.added');
const ABSENT = Symbol.for('@otel-server-timing/benchmarks.absent');
/** Given to every response (as `undefined`) when the server receives it, before any framework code. */
const PRESET = Symbol.for('@otel-server-timing/benchmarks.preset');

/** @type {Record<string, (response: any) => unknown>} */
const OPERATIONS = {
  'read a missing symbol property': (response) => response[ABSENT],
  'Object.hasOwn for it': (response) => Object.hasOwn(response, ABSENT),
  'read headersSent (prototype getter)': (response) => response.headersSent,
  'read _header (own field)': (response) => response._header,
  'set a symbol property present since creation': (response) => {
    response[PRESET] = true;
  },
  'add a symbol property': (response) => {
    response[ADDED] = true;
  },
  'add a named property': (response) => {
    response.serverTimingProbe = true;
  },
};

/**
 * Times each operation on every response of `requests` requests.
 * @param {(listener: (response: any) => void) => http.Server} serve
 */
async function measure(serve) {
  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(Object.keys(OPERATIONS).map((name) => [name, []]));
  const server = serve((response) => {
    for (const [name, operation] of Object.entries(OPERATIONS)) {
      const start = process.hrtime.bigint();
      operation(response);
      times[name]?.push(Number(process.hrtime.bigint() - start));
    }
  });
  server.prependListener('request', (_request, response) => {
    /** @type {any} */ (response)[PRESET] = undefined;
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const get = () =>
    new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port: address.port, path: '/', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
    });
  const warmup = Math.floor(options.requests / 4);
  for (let sent = 0; sent < options.requests; sent += 4) {
    if (sent === warmup) for (const list of Object.values(times)) list.length = 0;
    await Promise.all([get(), get(), get(), get()]);
  }
  agent.destroy();
  server.close();
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}

const onExpress = await measure((probe) => {
  const app = require('express')();
  app.use((/** @type {any} */ _req, /** @type {any} */ res, /** @type {() => void} */ next) => {
    probe(res);
    next();
  });
  app.get('/', (/** @type {any} */ _req, /** @type {any} */ res) => res.end('ok'));
  return http.createServer(app);
});
const onNodeHttp = await measure((probe) =>
  http.createServer((_request, response) => {
    probe(response);
    response.end('ok');
  }),
);
console.log(`Response property costs on ${machineLine()}, median ns per request:`);
console.log(`  ${'operation'.padEnd(46)} ${'Express 5'.padStart(10)} ${'node:http'.padStart(10)}`);
for (const name of Object.keys(OPERATIONS)) {
  console.log(
    `  ${name.padEnd(46)} ${String(onExpress[name]).padStart(10)} ${String(onNodeHttp[name]).padStart(10)}`,
  );
}
