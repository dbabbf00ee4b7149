// Compiled (not run) by the adapter's `typecheck`: the public types work with Koa 2's types.
import Koa from 'koa';
import { serverTiming } from '../../src/index.js';

const app = new Koa();
app.use(
  serverTiming({ enabled: (ctx) => ctx.status < 500, crossOrigin: (ctx) => ctx.get('origin') || false }),
);
app.use((ctx) => {
  if (ctx.path === '/health') ctx.state.serverTiming = false;
  ctx.serverTiming.add({ name: 'cache', duration: 1, description: 'hit' });
  ctx.body = 'ok';
});
