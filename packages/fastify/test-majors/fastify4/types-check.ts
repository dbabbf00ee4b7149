// Compiled (not run) by the adapter's `typecheck`: the public types work with Fastify 4's types.
import fastify from 'fastify';
import serverTimingDefault, { serverTiming } from '../../src/index.js';

const app = fastify();
app.register(serverTiming, { enabled: (request) => request.routeOptions.url !== '/health', trailers: true });
app.register(serverTimingDefault);
app.get('/health', { config: { serverTiming: false } }, async () => 'ok');
app.get('/', async (_request, reply) => {
  reply.serverTiming.add({ name: 'cache', duration: 1, description: 'hit' });
  return 'ok';
});
