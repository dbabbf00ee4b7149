// Fastify with @otel-server-timing/fastify: every response carries Server-Timing built from its spans.
//   npm start   then   curl -i http://127.0.0.1:3000/api/products
import { announce, httpGet, listenPort, query, sleep } from '@otel-server-timing/example-support';
import serverTiming from '@otel-server-timing/fastify';
import Fastify from 'fastify';

const app = Fastify();
await app.register(serverTiming); // applies to every route of the app

app.get('/api/products', async (request, reply) => {
  // Two queries at once: one `postgresql` metric, their wall-clock union, desc="2 spans".
  await Promise.all([query('SELECT products', 12), query('SELECT prices', 8)]);
  // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
  const stock = JSON.parse(await httpGet(`http://${request.host}/api/stock`));
  // A metric of the application's own, next to the span-based ones.
  reply.serverTiming.add({ name: 'cache', description: 'miss' });
  return { products: ['tea', 'coffee'], stock };
});

app.get('/api/stock', async () => {
  await sleep(4);
  return { tea: 3, coffee: 0 };
});

announce(app.server, '/api/products');
await app.listen({ port: listenPort(), host: '127.0.0.1' });
