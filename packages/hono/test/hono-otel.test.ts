import { httpInstrumentationMiddleware } from '@hono/otel';
import {
  expectHeaderMatchesSpans,
  metricsByName,
  serverSpans,
  timedSpan,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ServerTimingVariables, serverTiming } from '../src/index.js';

const tracing = useTracing();

function handler(app: Hono<{ Variables: ServerTimingVariables }>) {
  app.get('/orders/:id', async (c) => {
    await timedSpan(tracing.tracer, 'SELECT orders', 3, { 'db.system.name': 'mysql' });
    c.get('serverTiming').add({ name: 'app', duration: 2 });
    return c.text('ok');
  });
  return app;
}

describe('serverTiming with @hono/otel', () => {
  it('reads the span @hono/otel started when registered after its middleware', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(httpInstrumentationMiddleware({ tracerProvider: tracing.provider }), serverTiming());
    const response = await handler(app).request('/orders/9');
    expect(await response.text()).toBe('ok');
    const spans = tracing.exporter.getFinishedSpans();
    const [server] = serverSpans(spans);
    expect(server?.instrumentationScope.name).toBe('@hono/otel');
    expect(server?.name).toBe('GET /orders/:id');
    const metrics = expectHeaderMatchesSpans(response.headers.get('server-timing'), server!, spans);
    expect(metrics.mysql?.description).toBe('SELECT orders');
    expect(metrics.app?.duration).toBe(2);
  });

  it('registered before @hono/otel it sees no span: only the handler metrics are written', async () => {
    const app = new Hono<{ Variables: ServerTimingVariables }>();
    app.use(serverTiming(), httpInstrumentationMiddleware({ tracerProvider: tracing.provider }));
    const response = await handler(app).request('/orders/9');
    const metrics = metricsByName(response.headers.get('server-timing'));
    expect(Object.keys(metrics)).toEqual(['app']);
    expect(serverSpans(tracing.exporter.getFinishedSpans())).toHaveLength(1);
  });
});
