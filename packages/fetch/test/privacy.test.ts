import {
  anyDescribed,
  LEVEL_SHAPES,
  type LevelName,
  levelFromHeader,
  levelShape,
  metric,
  readTimedResponse,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { describe, expect, it } from 'vitest';
import { addServerTiming, withServerTiming } from '../src/index.js';

const tracing = useTracing();

function handlerWith(options: Parameters<typeof withServerTiming>[1]) {
  return withServerTiming(
    async (request: Request) => {
      addServerTiming(request, { name: 'app', duration: 1, description: 'mine' });
      const cacheControl = new URL(request.url).searchParams.get('cache-control');
      return new Response('ok', { headers: cacheControl === null ? {} : { 'cache-control': cacheControl } });
    },
    { tracer: tracing.tracer, ...options },
  );
}

describe('privacy levels in the Fetch wrapper', () => {
  it('writes each level, chosen per request from the Request', async () => {
    const handler = handlerWith({ level: levelFromHeader });
    for (const [level, shape] of Object.entries(LEVEL_SHAPES) as [LevelName, readonly string[]][]) {
      const response = await readTimedResponse(
        await handler(new Request('https://shop.example/', { headers: { 'x-level': level } })),
      );
      expect(response.body, level).toBe('ok');
      expect(levelShape(response), level).toEqual(shape);
      if (level === 'trace') expect(response.metrics, level).toHaveLength(1);
      if (level === 'metrics') expect(anyDescribed(response), level).toBe(false);
    }
  });

  it('writes nothing on a response a shared cache may store, and a timestamp with keep', async () => {
    const url = 'https://shop.example/?cache-control=s-maxage%3D60';
    const stripped = await readTimedResponse(await handlerWith({})(new Request(url)));
    expect(stripped.body).toBe('ok');
    expect(stripped.serverTiming).toBeNull();
    const privately = await readTimedResponse(
      await handlerWith({})(new Request('https://shop.example/?cache-control=private')),
    );
    expect(privately.traceContext).toBeDefined();
    const kept = await readTimedResponse(await handlerWith({ sharedCache: 'keep' })(new Request(url)));
    expect(kept.traceContext).toBeDefined();
    expect(Number(metric(kept, 'timestamp')?.description)).toBeGreaterThan(Date.now() - 60_000);
  });
});
