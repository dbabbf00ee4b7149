// Express with @otel-server-timing/express: every response carries Server-Timing built from its spans.
//   npm start   then   curl -i http://127.0.0.1:3000/api/products
import { announce, httpGet, listenPort, query, sleep } from '@otel-server-timing/example-support';
import { serverTiming } from '@otel-server-timing/express';
import express from 'express';

const app = express();
app.use(serverTiming()); // first, so every route below gets the header

app.get('/api/products', async (req, res) => {
  // Two queries at once: one `postgresql` metric, their wall-clock union, desc="2 spans".
  await Promise.all([query('SELECT products', 12), query('SELECT prices', 8)]);
  // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
  const stock = JSON.parse(await httpGet(`http://${req.get('host')}/api/stock`));
  // A metric of the application's own, next to the span-based ones.
  res.serverTiming.add({ name: 'cache', description: 'miss' });
  res.json({ products: ['tea', 'coffee'], stock });
});

app.get('/api/stock', async (_req, res) => {
  await sleep(4);
  res.json({ tea: 3, coffee: 0 });
});

announce(app.listen(listenPort(), '127.0.0.1'), '/api/products');
