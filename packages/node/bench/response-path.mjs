// One process of bench/instructions.mjs:
//   node response-path.mjs <otel|constant|server-timing> <set-header|write-head> <warm-up> <window> [packages]
// Answers requests without sockets: a real IncomingMessage and ServerResponse (Node keeps the bytes it
// would send in `outputData`), a SERVER span with two child spans under the SDK and
// ServerTimingSpanProcessor, then the response written one of two ways: `set-header` (setHeader, then
// end: node:http, Express, Koa) or `write-head` (writeHead with a headers object, then end: Fastify,
// @hono/node-server). Configurations: `otel` (nothing more), `constant` (a constant Server-Timing header
// of the usual length, set the same way: Node's work for one more header), `server-timing` (the response
// attached with NodeServerTiming). `packages` is another checkout's built packages/ folder to take core
// and node from (default: this one's). Runs `warm-up` requests, writes `warm`, then for every line read
// from stdin runs `window` requests and writes `done`.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const [config, form, warmUp, window, packages] = process.argv.slice(2);
if (
  !['otel', 'constant', 'server-timing'].includes(config ?? '') ||
  !['set-header', 'write-head'].includes(form ?? '')
) {
  throw new Error(
    'usage: response-path.mjs <otel|constant|server-timing> <set-header|write-head> <warm-up> <window> [packages]',
  );
}
const require = createRequire(import.meta.url);
const http = require('node:http');
const load = (name) =>
  packages === undefined ? require(`../../${name}/dist/index.cjs`) : require(join(packages, name));
const { ServerTimingSpanProcessor } = load('core');
const { NodeServerTiming } = load('node');

const provider = new NodeTracerProvider({ spanProcessors: [new ServerTimingSpanProcessor()] });
provider.register();
const tracer = trace.getTracer('response-path');
const timing = config === 'server-timing' ? new NodeServerTiming() : undefined;
/** What the route's two operations usually give (the benchmarks' `otel-header` value). */
const CONSTANT =
  'postgresql;dur=0.02;desc="SELECT users", cache_get;dur=0.01;desc="cache get", total;dur=0.41, traceparent;desc="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"';
const BODY = JSON.stringify({ user: { id: 42, name: 'Ada' }, profile: { theme: 'dark' } });
let written = 0;

function respond() {
  const request = new http.IncomingMessage(null);
  request.method = 'GET';
  request.url = '/users/42';
  request.headers = { host: 'localhost', 'user-agent': 'bench' };
  const response = new http.ServerResponse(request);
  const root = tracer.startSpan('GET', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  context.with(trace.setSpan(ROOT_CONTEXT, root), () => {
    timing?.attach(request, response);
    tracer.startSpan('SELECT users', { attributes: { 'db.system.name': 'postgresql' } }).end();
    tracer.startSpan('cache get').end();
    if (form === 'write-head') {
      const headers = { 'content-type': 'application/json' };
      response.writeHead(200, config === 'constant' ? { ...headers, 'Server-Timing': CONSTANT } : headers);
    } else {
      if (config === 'constant') response.setHeader('Server-Timing', CONSTANT);
      response.setHeader('content-type', 'application/json');
    }
    response.end(BODY);
  });
  root.end();
  written += response.outputData.length;
}

const run = (requests) => {
  for (let index = 0; index < requests; index++) respond();
};
run(Number(warmUp));
if (written === 0) throw new Error('nothing was written');
process.stdout.write('warm\n');
createInterface({ input: process.stdin }).on('line', () => {
  run(Number(window));
  process.stdout.write('done\n');
});
