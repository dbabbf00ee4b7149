// A second service for the demo's outgoing HTTP call: a plain node:http server in the same process. It
// is instrumented too, so its spans join the caller's trace through the traceparent request header.
import { createServer } from 'node:http';
import { query, sleep } from '@otel-server-timing/example-support';

/** Starts the shipping service on a free port of 127.0.0.1; resolves its base URL. */
export function startShippingService() {
  const server = createServer(async (_request, response) => {
    await query('SELECT rates', 18);
    await sleep(12); // computing the quote
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ carrier: 'Parcelwise', days: 2, price: 4.9 }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}` }));
  });
}
