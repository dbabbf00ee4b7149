// Koa with @otel-server-timing/koa: every response carries Server-Timing built from its spans.
//   npm start   then   curl -i http://127.0.0.1:3000/api/products
import { announce, httpGet, listenPort, query, sleep } from '@otel-server-timing/example-support';
import { serverTiming } from '@otel-server-timing/koa';
import Koa from 'koa';

const routes = {
  async '/api/products'(ctx) {
    // Two queries at once: one `postgresql` metric, their wall-clock union, desc="2 spans".
    await Promise.all([query('SELECT products', 12), query('SELECT prices', 8)]);
    // A real outgoing request: instrumentation-http's CLIENT span becomes the `http` metric.
    const stock = JSON.parse(await httpGet(`http://${ctx.host}/api/stock`));
    // A metric of the application's own, next to the span-based ones.
    ctx.serverTiming.add({ name: 'cache', description: 'miss' });
    ctx.body = { products: ['tea', 'coffee'], stock };
  },
  async '/api/stock'(ctx) {
    await sleep(4);
    ctx.body = { tea: 3, coffee: 0 };
  },
};

const app = new Koa();
app.use(serverTiming()); // first, so it sees the whole chain
app.use(async function route(ctx) {
  await routes[ctx.path]?.(ctx);
});

announce(app.listen(listenPort(), '127.0.0.1'), '/api/products');
