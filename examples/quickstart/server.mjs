// A node:http service whose responses carry Server-Timing built from their OpenTelemetry spans.
//   node --import ./tracing.mjs server.mjs          serve on http://127.0.0.1:3000 (PORT to change)
//   node --import ./tracing.mjs server.mjs --once   request itself once, print the header, exit
import { createServer, get } from 'node:http';
import { SpanKind, trace } from '@opentelemetry/api';
import { NodeServerTiming } from '@otel-server-timing/node';

const tracer = trace.getTracer('quickstart');
const serverTiming = new NodeServerTiming();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stands in for a database query: a CLIENT span with the semantic-convention attributes a driver sets. */
function query(text, ms) {
  return tracer.startActiveSpan(
    text,
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
    async (span) => {
      await sleep(ms);
      span.end();
    },
  );
}

/** A real outgoing HTTP call (instrumentation-http makes its CLIENT span). */
function fetchInventory(port) {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/inventory' }, (response) =>
      response.resume().on('end', resolve),
    ).on('error', reject);
  });
}

const server = createServer(async (request, response) => {
  serverTiming.attach(request, response);
  if (request.url === '/inventory') {
    await sleep(5);
    response.end('{"items":3}');
    return;
  }
  await Promise.all([query('SELECT users', 12), query('SELECT orders', 8)]);
  await fetchInventory(server.address().port);
  response.setHeader('content-type', 'text/plain');
  response.end('Look at the Server-Timing header of this response.\n');
});

server.listen(Number(process.env.PORT ?? (process.argv.includes('--once') ? 0 : 3000)), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}/`;
  if (!process.argv.includes('--once')) {
    console.log(`Listening on ${url}\nTry: curl -i ${url}`);
    return;
  }
  get(url, (response) => {
    console.log(`Server-Timing: ${response.headers['server-timing']}`);
    response.resume().on('end', () => server.close());
  });
});
