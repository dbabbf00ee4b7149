// Hono on @hono/node-server with @otel-server-timing/hono: every response carries Server-Timing built
// from its spans.
//   npm start   then   curl -i http://127.0.0.1:3000/api/products
import { serve } from '@hono/node-server';
import { announce, httpGet, listenPort } from '@otel-server-timing/example-support';
import { startPostgres } from '@otel-server-timing/example-support/database';
import { serverTiming } from '@otel-server-timing/hono';
import { Hono } from 'hono';
import pg from 'pg';

// A real PostgreSQL (PGlite, in this process: nothing to install), queried through `pg`.
const database = await startPostgres();
const pool = new pg.Pool({ connectionString: database.connectionString });

const app = new Hono();
app.use(serverTiming()); // first, so every route below gets the header

app.get('/api/products', async (c) => {
  // Two queries at once: one `postgresql` metric that counts 2, their wall-clock union.
  const [products, prices] = await Promise.all([
    pool.query('SELECT id, name FROM products ORDER BY id'),
    pool.query('SELECT product_id, price FROM prices'),
  ]);
  // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
  const stock = JSON.parse(await httpGet(new URL('/api/stock', c.req.url)));
  // A metric of the application's own, next to the span-based ones.
  c.get('serverTiming').add({ name: 'cache', description: 'miss' });
  return c.json({ products: products.rows, prices: prices.rows, stock });
});

app.get('/api/stock', async (c) => {
  const stock = await pool.query('SELECT product_id, quantity FROM stock');
  return c.json({ stock: stock.rows });
});

announce(serve({ fetch: app.fetch, port: listenPort(), hostname: '127.0.0.1' }), '/api/products');
