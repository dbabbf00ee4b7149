import { expect, it } from 'vitest';
import { metric, type TimedResponse } from './client.js';
import type { AdapterDriver } from './contract.js';
import { send } from './served.js';

/** The levels, each with what a response at that level carries (the route adds `app`, described `mine`). */
export const LEVEL_SHAPES = {
  full: ['app:mine', 'total', 'traceparent'],
  metrics: ['app:', 'total', 'traceparent'],
  trace: ['traceparent'],
  none: [],
} as const;

export type LevelName = keyof typeof LEVEL_SHAPES;

/**
 * What a response shows of the route's own `app` metric (with its description), `total` and the trace
 * context (by name only). Metrics of framework layers, which differ by framework, are left out.
 */
export function levelShape(response: TimedResponse): string[] {
  const shape: string[] = [];
  for (const { name, description } of response.metrics) {
    if (name === 'traceparent' || name === 'total') shape.push(name);
    else if (name === 'app') shape.push(`${name}:${description}`);
  }
  return shape;
}

/** Whether any metric but the trace context carries a description. */
export function anyDescribed(response: TimedResponse): boolean {
  return response.metrics.some(({ name, description }) => name !== 'traceparent' && description !== '');
}

/**
 * Reads a request header from whatever request object an adapter hands its per-request options: Node's
 * `IncomingMessage` and Express's/Fastify's request (`headers`), Koa's context (`headers`), Hono's
 * context (`req.header()`), a Fetch `Request` (`headers.get()`).
 */
export function headerOfFrameworkRequest(frameworkRequest: unknown, name: string): string | undefined {
  const candidate = frameworkRequest as {
    headers?: Record<string, unknown> | Headers;
    req?: { header?: (name: string) => string | undefined };
  };
  if (typeof candidate?.req?.header === 'function') return candidate.req.header(name);
  const headers = candidate?.headers;
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** A `level` function of the framework's request: the `x-level` request header says which. */
export function levelFromHeader(frameworkRequest: unknown): LevelName {
  return (headerOfFrameworkRequest(frameworkRequest, 'x-level') ?? 'none') as LevelName;
}

/**
 * The privacy levels and the shared-cache rule on one adapter: each level as a fixed value and from a
 * function of the framework's request; a response a shared cache may store carries nothing, unless
 * `sharedCache: 'keep'`, which stamps the server clock beside the trace context; a bad level is a
 * `TypeError` at set-up.
 */
export function testPrivacyLevels(driver: () => AdapterDriver): void {
  const route = (tools: { add: (metric: { name: string; duration: number; description: string }) => void }) =>
    tools.add({ name: 'app', duration: 1, description: 'mine' });

  it('writes each level, fixed or chosen per request from the framework request', async () => {
    for (const [level, shape] of Object.entries(LEVEL_SHAPES)) {
      // Each app is asked before the next is set up: an entry point may be process-wide
      // (instrumentEveryServer), one configuration at a time.
      const fixed = await send(await driver().serve({ level }, route), '/');
      const perRequest = await driver().serve({ level: levelFromHeader }, route);
      for (const response of [fixed, await send(perRequest, '/', { headers: { 'x-level': level } })]) {
        expect(response.body, level).toBe('ok');
        expect(levelShape(response), level).toEqual(shape);
        if (level === 'none') expect(response.serverTiming, level).toBeNull();
        if (level === 'trace') expect(response.metrics, level).toHaveLength(1);
        if (level === 'metrics') expect(anyDescribed(response), level).toBe(false);
      }
    }
  });

  it('writes nothing on a response a shared cache may store, unless told to keep it', async () => {
    // Braces: Fastify's `reply.header` returns the reply, which is thenable (awaiting it waits for the send).
    const cacheable = (tools: { setHeader(name: string, value: string): void }) => {
      tools.setHeader('Cache-Control', 'public, max-age=60');
    };
    const strip = await send(await driver().serve(undefined, cacheable), '/');
    expect(strip.body).toBe('ok');
    expect(strip.serverTiming).toBeNull();
    const privately = await send(
      await driver().serve(undefined, (tools) => {
        tools.setHeader('Cache-Control', 'private, max-age=60');
      }),
      '/',
    );
    expect(privately.traceContext).toBeDefined();
    const before = Date.now();
    const keep = await send(await driver().serve({ sharedCache: 'keep' }, cacheable), '/');
    expect(keep.traceContext).toBeDefined();
    const stamp = Number(metric(keep, 'timestamp')?.description);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });

  it('rejects a bad level, or one that contradicts enabled, with a TypeError', async () => {
    const { owner, setUp } = driver();
    await expect(setUp({ level: 'staff' })).rejects.toThrow(`${owner}: option \`level\``);
    await expect(setUp({ enabled: false, level: 'full' })).rejects.toThrow(TypeError);
  });
}
