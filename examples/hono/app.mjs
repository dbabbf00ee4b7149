// Hono on @hono/node-server with @otel-server-timing/hono: every response carries Server-Timing built
// from its spans.
//   npm start   then   curl -i http://127.0.0.1:3000/api/products
import { serve } from '@hono/node-server';
import { announce, httpGet, listenPort, query, sleep } from '@otel-server-timing/example-support';
import { serverTiming } from '@otel-server-timing/hono';
import { Hono } from 'hono';

const app = new Hono();
app.use(serverTiming()); // first, so every route below gets the header

app.get('/api/products', async (c) => {
  // Two queries at once: one `postgresql` metric, their wall-clock union, desc="2 spans".
  await Promise.all([query('SELECT products', 12), query('SELECT prices', 8)]);
  // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
  const stock = JSON.parse(await httpGet(new URL('/api/stock', c.req.url)));
  // A metric of the application's own, next to the span-based ones.
  c.get('serverTiming').add({ name: 'cache', description: 'miss' });
  return c.json({ products: ['tea', 'coffee'], stock });
});

app.get('/api/stock', async (c) => {
  await sleep(4);
  return c.json({ tea: 3, coffee: 0 });
});

announce(serve({ fetch: app.fetch, port: listenPort(), hostname: '127.0.0.1' }), '/api/products');
