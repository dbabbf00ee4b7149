import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { addServerTiming, withServerTiming } from '../src/index.js';

// withServerTiming itself is tested in @otel-server-timing/fetch; this checks the name Hono users import
// still works, and that addServerTiming(c) reaches it without the middleware.
it('wraps app.fetch: addServerTiming(c) reaches the header without the middleware', async () => {
  const app = new Hono();
  app.get('/', (c) => {
    addServerTiming(c, { name: 'from-context', duration: 4 });
    return c.text('ok');
  });
  const response = await withServerTiming(app.fetch)(new Request('http://localhost/'));
  expect(response.headers.get('server-timing')).toBe('from-context;dur=4');
});
