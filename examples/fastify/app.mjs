// Fastify with @otel-server-timing/fastify: every response carries Server-Timing built from its spans.
//   npm start   then   curl -i http://127.0.0.1:3000/api/products
import { announce, httpGet, listenPort } from '@otel-server-timing/example-support';
import { startPostgres } from '@otel-server-timing/example-support/database';
import serverTiming from '@otel-server-timing/fastify';
import Fastify from 'fastify';
import pg from 'pg';

// A real PostgreSQL (PGlite, in this process: nothing to install), queried through `pg`.
const database = await startPostgres();
const pool = new pg.Pool({ connectionString: database.connectionString });

const app = Fastify();
await app.register(serverTiming); // applies to every route of the app

app.get('/api/products', async (request, reply) => {
  // Two queries at once: one `postgresql` metric that counts 2, their wall-clock union.
  const [products, prices] = await Promise.all([
    pool.query('SELECT id, name FROM products ORDER BY id'),
    pool.query('SELECT product_id, price FROM prices'),
  ]);
  // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
  const stock = JSON.parse(await httpGet(`http://${request.host}/api/stock`));
  // A metric of the application's own, next to the span-based ones.
  reply.serverTiming.add({ name: 'cache', description: 'miss' });
  return { products: products.rows, prices: prices.rows, stock };
});

app.get('/api/stock', async () => {
  const stock = await pool.query('SELECT product_id, quantity FROM stock');
  return { stock: stock.rows };
});

announce(app.server, '/api/products');
await app.listen({ port: listenPort(), host: '127.0.0.1' });
