// A second service for the demo's outgoing calls: a plain node:http server in the same process. It is
// instrumented too, so its spans join the caller's trace through the traceparent request header, and it
// writes its own Server-Timing (instrumentServer), which the demo service folds into its header.
import { createServer } from 'node:http';
import { sleep } from '@otel-server-timing/example-support';
import { instrumentServer } from '@otel-server-timing/node';
import { shippingOrigins } from './downstreams.mjs';

/**
 * Starts the shipping service on a free port of 127.0.0.1, reading its rates through `pool`; resolves its
 * base URL. `GET /quote`: the fastest carrier's rate; `GET /pickup`: the next pickup slot.
 */
export function startShippingService(pool) {
  const server = instrumentServer(
    createServer(async (request, response) => {
      let body;
      if (request.url === '/quote') {
        const rates = await pool.query('SELECT carrier, days, price FROM rates ORDER BY days LIMIT 1');
        await sleep(12); // computing the quote
        body = rates.rows[0];
      } else {
        body = { pickup: 'tomorrow 09:00–12:00' };
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
    }),
  );
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      shippingOrigins.add(url);
      resolve({ url });
    });
  });
}
