import { SpanKind } from '@opentelemetry/api';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import { expect, it } from 'vitest';
import { expectChildWorkTimings, expectIsolationUnderLoad, waitForExportedSpan } from './checks.js';
import { doChildWork, doIndexedWork } from './child-work.js';
import { metric } from './client.js';
import { type ServeRespondingLater, testResponsesFromOtherContexts } from './other-contexts.js';
import { testPrivacyLevels } from './privacy-contract.js';
import { type Served, send } from './served.js';
import type { AdapterSuite } from './suite.js';

/** What a route of a test app can do, whatever the framework. */
export type RouteTools = {
  /** The framework's way to add a metric: `res.serverTiming.add`, `reply.serverTiming.add`, … */
  add(metric: ServerTimingMetric): void;
  /** Sets a response header the framework's way. */
  setHeader(name: string, value: string): void;
  /** The route's opt-out (`res.serverTiming.skip()`, …), where the entry point has one (see `canSkip`). */
  skip?(): void;
};

/** The route of a test app: runs for every path, before the app answers `ok`. */
export type Route = (tools: RouteTools, path: string) => void | Promise<void>;

/** How the shared tests drive one entry point (an adapter on one framework major, a hook, a wrapper). */
export type AdapterDriver = {
  /** The package name (and entry point) its errors start with. */
  owner: string;
  /**
   * The attribute the framework's instrumentation sets on its spans, e.g. `express.type`; `undefined`
   * declares that the entry point runs under no framework instrumentation (the node hook, a Fetch
   * handler), so the framework-span checks are reported as not applicable to it.
   */
  frameworkAttribute: string | undefined;
  /**
   * Whether a route can opt out after the entry point attached (`RouteTools.skip`); the Fetch wrapper
   * and Hono have no such call, and declare `false`, so the skip test is reported as not applicable.
   */
  canSkip: boolean;
  /**
   * Starts an app with the entry point under `options` and `route` at every path answering `ok`; where
   * the framework has middleware, one of its own that waits 1 ms runs before the route. Resolves with
   * the origin it listens on (127.0.0.1, closed after the test) or with the Fetch app itself.
   */
  serve(options: object | undefined, route: Route): Promise<Served>;
  /** Sets the adapter up with `options` the way an app does; rejects as the app would see it fail. */
  setUp(options: object): Promise<void>;
};

/** A caller's `traceparent`: the server span continues its trace but is a span of its own. */
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/** Span names that must not break the header's framing: CR/LF, quotes and separators, non-Latin-1, empty. */
const HOSTILE_SPAN_NAMES = [
  'evil\r\nX-Injected: 1',
  'quote"s\\and;dur=1,x',
  '日本語の名前',
  'Ünïcødé\u2028',
  '',
];

/**
 * The tests every entry point passes (every adapter on every framework major, the node hooks, the Fetch
 * wrapper): the child-work timings against the exported spans, the server span (not the caller's) as
 * trace context, the handler's own metrics, `enabled` (off, and a function that throws), `crossOrigin`
 * with `exposeHeader`, an application's own `Server-Timing`, and invalid options.
 */
export function testAdapterContract(suite: AdapterSuite<unknown>, driver: () => AdapterDriver): void {
  it('reports the child spans of a request as the exported spans give them, under its traceparent', async () => {
    const { tracing } = suite;
    const served = await driver().serve(undefined, () =>
      doChildWork(tracing.tracer, tracing.http, suite.downstreamUrl),
    );
    const response = await send(served, '/work');
    await expectChildWorkTimings(tracing, response);
  });

  const { frameworkAttribute, canSkip } = driver();
  it.skipIf(frameworkAttribute === undefined)(
    'times the framework’s own middleware, and leaves out the spans it makes of the adapter (needs a framework instrumentation)',
    async () => {
      const { tracing } = suite;
      const served = await driver().serve(undefined, () =>
        doChildWork(tracing.tracer, tracing.http, suite.downstreamUrl),
      );
      const response = await send(served, '/work');
      const spans = await expectChildWorkTimings(tracing, response);
      const frameworkSpans = spans.filter((span) => span.attributes[frameworkAttribute!] !== undefined);
      expect(frameworkSpans.length, `no span with ${frameworkAttribute}`).toBeGreaterThan(0);
      expect(metric(response, 'middleware')).toBeDefined();
      // A span the framework instrumentation makes of the adapter itself (where it still makes one) would
      // only time this library.
      expect(response.serverTiming).not.toContain('serverTimingMiddleware');
    },
  );

  it.skipIf(!canSkip)(
    'lets a route opt out with skip(): no timings for it, its own for the others (needs skip())',
    async () => {
      const served = await driver().serve({ crossOrigin: '*' }, (tools, path) => {
        tools.add({ name: 'dropped', duration: 1 });
        if (path === '/quiet') tools.skip!();
      });
      const [quiet, loud] = await Promise.all([send(served, '/quiet'), send(served, '/loud')]);
      expect(quiet.body).toBe('ok');
      expect(quiet.serverTiming).toBeNull();
      expect(quiet.headers.get('timing-allow-origin')).toBeNull();
      expect(metric(loud, 'dropped')).toEqual({ name: 'dropped', duration: 1, description: '' });
      expect(loud.traceContext).toBeDefined();
    },
  );

  it('names the server span, not the caller’s, when the request carries a traceparent', async () => {
    const served = await driver().serve(undefined, () => {});
    const response = await send(served, '/', {
      headers: { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01` },
    });
    expect(response.traceContext?.traceId).toBe(CALLER_TRACE_ID);
    expect(response.traceContext?.spanId).not.toBe(CALLER_SPAN_ID);
    const root = await waitForExportedSpan(suite.tracing, response.traceContext!.spanId);
    expect(root.kind).toBe(SpanKind.SERVER);
  });

  it("adds the handler's own metrics, with a duration, and with a description only", async () => {
    const served = await driver().serve(undefined, (tools) => {
      tools.add({ name: 'cache', duration: 1.5, description: 'hit' });
      tools.add({ name: 'region', description: 'eu-west' });
    });
    const response = await send(served, '/');
    expect(metric(response, 'cache')).toEqual({ name: 'cache', duration: 1.5, description: 'hit' });
    expect(metric(response, 'region')).toEqual({ name: 'region', duration: 0, description: 'eu-west' });
    expect(response.traceContext).toBeDefined();
  });

  it('writes nothing with enabled: false, where adding a metric does nothing', async () => {
    const served = await driver().serve({ enabled: false, crossOrigin: '*' }, (tools) =>
      tools.add({ name: 'cache', duration: 1 }),
    );
    const response = await send(served, '/');
    expect(response.body).toBe('ok');
    expect(response.serverTiming).toBeNull();
    expect(response.headers.get('timing-allow-origin')).toBeNull();
  });

  it('answers normally when the enabled function throws', async () => {
    const enabled = () => {
      throw new Error('broken predicate');
    };
    const served = await driver().serve({ enabled }, (tools) => tools.add({ name: 'cache', duration: 1 }));
    const response = await send(served, '/');
    expect(response.status).toBe(200);
    expect(response.body).toBe('ok');
    expect(response.serverTiming).toBeNull();
  });

  it('sets Timing-Allow-Origin from crossOrigin, and exposes the header to CORS reads', async () => {
    const served = await driver().serve(
      { crossOrigin: ['https://app.example'], exposeHeader: true },
      () => {},
    );
    const cors = await send(served, '/', { headers: { origin: 'https://app.example' } });
    expect(cors.headers.get('timing-allow-origin')).toBe('https://app.example');
    expect(cors.headers.get('access-control-expose-headers')).toMatch(/server-timing/i);
    const sameOrigin = await send(served, '/');
    expect(sameOrigin.headers.get('timing-allow-origin')).toBe('https://app.example');
    expect(sameOrigin.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('appends Server-Timing to the exposed headers the application lists, on CORS reads only', async () => {
    const served = await driver().serve(
      { crossOrigin: 'https://app.example', exposeHeader: true },
      (tools) => {
        tools.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
      },
    );
    const cors = await send(served, '/', { headers: { origin: 'https://app.example' } });
    expect(cors.headers.get('access-control-expose-headers')).toBe('X-Request-Id, Server-Timing');
    const sameOrigin = await send(served, '/');
    expect(sameOrigin.headers.get('access-control-expose-headers')).toBe('X-Request-Id');
  });

  it("keeps the application's own Server-Timing and appends to it", async () => {
    const served = await driver().serve({ crossOrigin: 'https://app.example' }, (tools) => {
      tools.setHeader('Server-Timing', 'app;dur=5;desc="own"');
      tools.setHeader('Timing-Allow-Origin', 'https://app.example');
    });
    const response = await send(served, '/');
    expect(response.metrics[0]).toEqual({ name: 'app', duration: 5, description: 'own' });
    expect(response.traceContext).toBeDefined();
    expect(response.headers.get('timing-allow-origin')).toBe('https://app.example');
  });

  it('turns hostile span names and metrics into a valid header and an unharmed response', async () => {
    const { tracer } = suite.tracing;
    const served = await driver().serve(undefined, (tools) => {
      for (const name of HOSTILE_SPAN_NAMES) tracer.startSpan(name).end();
      tools.add({ name: 'bad\r\nname', duration: 1, description: 'line\r\nbreak "quoted" 日本' });
      tools.add({ name: 42 as unknown as string });
      tools.add(null as unknown as ServerTimingMetric);
    });
    const response = await send(served, '/hostile');
    expect(response.status).toBe(200);
    expect(response.body).toBe('ok');
    expect(response.headers.get('x-injected')).toBeNull();
    expect(response.serverTiming).toMatch(/^[\x20-\x7e]+$/);
    // Each span name as a metric of its own (sanitised), the metric added, total and trace context.
    expect(response.metrics.length).toBeGreaterThanOrEqual(7);
    expect(response.traceContext).toBeDefined();
    expect(metric(response, 'bad_name')?.duration).toBe(1);
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
 * Sends 500 concurrent requests, each doing different child work and adding its own metric, and checks
 * that every response carries only its own metrics and trace (see `expectIsolationUnderLoad`).
 */
export function testIsolationUnderLoad(suite: AdapterSuite<unknown>, driver: () => AdapterDriver): void {
  it('gives each of 500 concurrent requests only its own metrics and trace', async () => {
    const served = await driver().serve(undefined, async (tools, path) => {
      const index = Number(path.split('/').pop());
      await doIndexedWork(suite.tracing.tracer, index);
      tools.add({ name: `own-${index}` });
    });
    await expectIsolationUnderLoad(suite.tracing, served, 500);
    // About a second on an idle 2-core machine, many times that on a busy one: only a wrong response fails it.
  }, 180_000);
}

/**
 * The whole contract for an entry point: {@link testAdapterContract}, the privacy levels
 * (`testPrivacyLevels`), responses written from other requests' contexts
 * (`testResponsesFromOtherContexts`) and {@link testIsolationUnderLoad}.
 */
export function testEntryPointContract(
  suite: AdapterSuite<unknown>,
  driver: () => AdapterDriver,
  serveRespondingLater: () => ServeRespondingLater,
): void {
  testAdapterContract(suite, driver);
  testPrivacyLevels(driver);
  testResponsesFromOtherContexts(suite, serveRespondingLater);
  testIsolationUnderLoad(suite, driver);
}
