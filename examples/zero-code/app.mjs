// A plain node:http service that knows nothing of OpenTelemetry or Server-Timing. Started with
//   node --import @otel-server-timing/node/register app.mjs
// it gets the OpenTelemetry Node SDK with the auto-instrumentations (configured by the OTEL_* variables,
// e.g. OTEL_TRACES_EXPORTER=console) and a Server-Timing header on every response.
import { createServer } from 'node:http';
import { announce, httpGet, listenPort, query, sleep } from '@otel-server-timing/example-support';
import { getResponseServerTiming } from '@otel-server-timing/node';

const server = createServer(async (request, response) => {
  if (request.url === '/api/stock') {
    await sleep(4);
    response.end('{"tea":3,"coffee":0}');
    return;
  }
  // Two queries at once: one `postgresql` metric, their wall-clock union, desc="2 spans".
  await Promise.all([query('SELECT products', 12), query('SELECT prices', 8)]);
  // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
  const stock = JSON.parse(await httpGet(`http://${request.headers.host}/api/stock`));
  // Optional: a metric of the application's own (the handle exists when the register entry is loaded).
  getResponseServerTiming(response)?.add({ name: 'cache', description: 'miss' });
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ products: ['tea', 'coffee'], stock }));
});

announce(server.listen(listenPort(), '127.0.0.1'), '/api/products');
