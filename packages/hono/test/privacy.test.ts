import {
  anyDescribed,
  LEVEL_SHAPES,
  type LevelName,
  levelFromHeader,
  levelShape,
  readTimedResponse,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type HonoServerTimingOptions, type ServerTimingVariables, serverTiming } from '../src/index.js';

const tracing = useTracing();

function appWith(options: HonoServerTimingOptions): Hono<{ Variables: ServerTimingVariables }> {
  const app = new Hono<{ Variables: ServerTimingVariables }>();
  app.use(serverTiming({ tracer: tracing.tracer, ...options }));
  app.get('/*', (c) => {
    c.get('serverTiming').add({ name: 'app', duration: 1, description: 'mine' });
    if (c.req.path === '/cacheable') c.header('Cache-Control', 'public, max-age=60');
    return c.text('ok');
  });
  return app;
}

describe('privacy levels in the Hono middleware', () => {
  it('writes each level, chosen per request from the Hono context', async () => {
    const app = appWith({ level: levelFromHeader });
    for (const [level, shape] of Object.entries(LEVEL_SHAPES) as [LevelName, readonly string[]][]) {
      const response = await readTimedResponse(await app.request('/', { headers: { 'x-level': level } }));
      expect(response.body, level).toBe('ok');
      expect(levelShape(response), level).toEqual(shape);
      if (level === 'trace') expect(response.metrics, level).toHaveLength(1);
      if (level === 'metrics') expect(anyDescribed(response), level).toBe(false);
    }
  });

  it('writes nothing on a publicly cacheable response', async () => {
    const response = await readTimedResponse(await appWith({}).request('/cacheable'));
    expect(response.body).toBe('ok');
    expect(response.serverTiming).toBeNull();
    expect((await readTimedResponse(await appWith({}).request('/'))).traceContext).toBeDefined();
  });
});
