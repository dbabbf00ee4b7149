import type { ServerTimingMetric } from '@otel-server-timing/core';
import { expect, it } from 'vitest';
import { expectChildWorkTimings, expectIsolationUnderLoad } from './checks.js';
import { doChildWork, doIndexedWork } from './child-work.js';
import { metric, request } from './client.js';
import type { AdapterSuite } from './suite.js';

/** What a route of a test app can do, whatever the framework. */
export type RouteTools = {
  /** The framework's way to add a metric: `res.serverTiming.add`, `reply.serverTiming.add`, … */
  add(metric: ServerTimingMetric): void;
  /** Sets a response header the framework's way. */
  setHeader(name: string, value: string): void;
};

/** The route of a test app: runs for every path, before the app answers `ok`. */
export type Route = (tools: RouteTools, path: string) => void | Promise<void>;

/** How the shared tests drive one adapter on one framework major. */
export type AdapterDriver = {
  /** The adapter's package name, which its errors start with. */
  owner: string;
  /** The attribute the framework's instrumentation sets on its spans, e.g. `express.type`. */
  frameworkAttribute: string;
  /**
   * Starts an app (listening on 127.0.0.1, closed after the test) with the adapter under `options`, one
   * framework middleware of its own that waits 1 ms, and `route` at every path answering `ok`. Resolves
   * with the origin.
   */
  serve(options: object | undefined, route: Route): Promise<string>;
  /** Sets the adapter up with `options` the way an app does; rejects as the app would see it fail. */
  setUp(options: object): Promise<void>;
};

/**
 * The tests every adapter passes on every framework major: the child-work timings against the exported
 * spans, the handler's own metric, `enabled` (off, and a function that throws), `crossOrigin` with
 * `exposeHeader`, an application's own `Server-Timing`, and invalid options.
 */
export function testAdapterContract(suite: AdapterSuite<unknown>, driver: () => AdapterDriver): void {
  it('reports the child spans of a request as the exported spans give them, under its traceparent', async () => {
    const { tracing } = suite;
    const origin = await driver().serve(undefined, () =>
      doChildWork(tracing.tracer, tracing.http, suite.downstreamUrl),
    );
    const response = await request(`${origin}/work`);
    await expectChildWorkTimings(tracing, response, driver().frameworkAttribute);
    expect(metric(response, 'middleware')).toBeDefined();
    expect(metric(response, 'total')!.duration).toBeGreaterThan(0);
  });

  it("adds the handler's own metric", async () => {
    const origin = await driver().serve(undefined, (tools) =>
      tools.add({ name: 'cache', duration: 1.5, description: 'hit' }),
    );
    const response = await request(origin);
    expect(metric(response, 'cache')).toEqual({ name: 'cache', duration: 1.5, description: 'hit' });
    expect(response.traceContext).toBeDefined();
  });

  it('writes nothing with enabled: false, where adding a metric does nothing', async () => {
    const origin = await driver().serve({ enabled: false, crossOrigin: '*' }, (tools) =>
      tools.add({ name: 'cache', duration: 1 }),
    );
    const response = await request(origin);
    expect(response.body).toBe('ok');
    expect(response.serverTiming).toBeNull();
    expect(response.headers.get('timing-allow-origin')).toBeNull();
  });

  it('answers normally when the enabled function throws', async () => {
    const enabled = () => {
      throw new Error('broken predicate');
    };
    const origin = await driver().serve({ enabled }, (tools) => tools.add({ name: 'cache', duration: 1 }));
    const response = await request(origin);
    expect(response.status).toBe(200);
    expect(response.body).toBe('ok');
    expect(response.serverTiming).toBeNull();
  });

  it('sets Timing-Allow-Origin from crossOrigin, and exposes the header to CORS reads', async () => {
    const origin = await driver().serve(
      { crossOrigin: ['https://app.example'], exposeHeader: true },
      () => {},
    );
    const cors = await request(origin, { headers: { origin: 'https://app.example' } });
    expect(cors.headers.get('timing-allow-origin')).toBe('https://app.example');
    expect(cors.headers.get('access-control-expose-headers')).toMatch(/server-timing/i);
    const sameOrigin = await request(origin);
    expect(sameOrigin.headers.get('timing-allow-origin')).toBe('https://app.example');
    expect(sameOrigin.headers.get('access-control-expose-headers')).toBeNull();
  });

  it("keeps the application's own Server-Timing and appends to it", async () => {
    const origin = await driver().serve({ crossOrigin: 'https://app.example' }, (tools) => {
      tools.setHeader('Server-Timing', 'app;dur=5;desc="own"');
      tools.setHeader('Timing-Allow-Origin', 'https://app.example');
    });
    const response = await request(origin);
    expect(response.metrics[0]).toEqual({ name: 'app', duration: 5, description: 'own' });
    expect(response.traceContext).toBeDefined();
    expect(response.headers.get('timing-allow-origin')).toBe('https://app.example');
  });

  it('rejects invalid options with a TypeError that says what to fix', async () => {
    const { owner, setUp } = driver();
    await expect(setUp({ crossOrigin: 'app.example' })).rejects.toThrow(TypeError);
    await expect(setUp({ crossOrigin: 'app.example' })).rejects.toThrow(`${owner}: option \`crossOrigin\``);
    await expect(setUp({ maxBytes: 10 })).rejects.toThrow(/maxBytes/);
    await expect(setUp({ trailers: 'yes' })).rejects.toThrow(/trailers/);
    await expect(setUp({ enable: true })).rejects.toThrow(/unknown option `enable`/);
  });
}

/**
 * Sends 500 concurrent requests, each doing different child work, and checks that every response
 * carries only its own metrics and trace (see `expectIsolationUnderLoad`).
 */
export function testIsolationUnderLoad(suite: AdapterSuite<unknown>, driver: () => AdapterDriver): void {
  it('gives each of 500 concurrent requests only its own metrics and trace', async () => {
    const origin = await driver().serve(undefined, (_tools, path) =>
      doIndexedWork(suite.tracing.tracer, Number(path.split('/').pop())),
    );
    await expectIsolationUnderLoad(suite.tracing, (index) => `${origin}/isolated/${index}`, 500);
    // About a second on an idle 2-core machine, many times that on a busy one: only a wrong response fails it.
  }, 180_000);
}
