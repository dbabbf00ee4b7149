import type http from 'node:http';
import {
  anyDescribed,
  LEVEL_SHAPES,
  type LevelName,
  levelShape,
  metric,
  request,
} from '@otel-server-timing/adapter-test-kit';
import { expect } from 'vitest';
import { getResponseServerTiming } from '../src/index.js';

/**
 * A listener for the privacy tests: adds the `app` metric, and on `/cacheable` marks the response as one a
 * shared cache may store (`Cache-Control: public`).
 */
export const privacyListener: http.RequestListener = (req, res) => {
  getResponseServerTiming(res)?.add({ name: 'app', duration: 1, description: 'mine' });
  if (req.url === '/cacheable') res.setHeader('Cache-Control', 'public, max-age=60');
  res.end('ok');
};

/** Checks every level, chosen per request by the `x-level` header, on the server at `origin`. */
export async function expectEachLevel(origin: string): Promise<void> {
  for (const [level, shape] of Object.entries(LEVEL_SHAPES) as [LevelName, readonly string[]][]) {
    const response = await request(origin, { headers: { 'x-level': level } });
    expect(response.body, level).toBe('ok');
    expect(levelShape(response), level).toEqual(shape);
    if (level === 'none') expect(response.serverTiming, level).toBeNull();
    if (level === 'trace') expect(response.metrics, level).toHaveLength(1);
    if (level === 'metrics') expect(anyDescribed(response), level).toBe(false);
  }
}

/** A cacheable response carries nothing (`strip`), or a timestamp beside the trace context (`keep`). */
export async function expectCacheable(origin: string, handling: 'strip' | 'keep'): Promise<void> {
  const response = await request(`${origin}/cacheable`, { headers: { 'x-level': 'full' } });
  expect(response.body).toBe('ok');
  if (handling === 'strip') {
    expect(response.serverTiming).toBeNull();
    return;
  }
  expect(response.traceContext).toBeDefined();
  expect(Number(metric(response, 'timestamp')?.description)).toBeGreaterThan(Date.now() - 60_000);
}
