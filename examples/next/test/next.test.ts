import { settledRequestSpans, unionDuration, waitFor } from '@otel-server-timing/adapter-test-kit';
import { toReadableSpan } from '@otel-server-timing/adapter-test-kit/otlp-receiver';
import { launchChromium } from '@otel-server-timing/browsers';
import { parseServerTiming } from '@otel-server-timing/core';
import { fetchServerTiming } from '@otel-server-timing/example-support/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { buildNextApp, exportedServerSpan, type NextApp, startNextAppAroundTests } from './next-app.js';

const vercelOtel = startNextAppAroundTests();
const nodeSdk = startNextAppAroundTests({ OTEL_SETUP: 'node-sdk' });

afterAll(async () => {
  console.log(`next build took ${(await buildNextApp()).toFixed(1)} s`);
});

/**
 * Every route of the example, the metrics its header must carry besides `total` and the trace context, and
 * those it may carry. The header goes out with the response's first byte and holds what finished by then:
 * a page's `render` often, not always, has (it ends with the last byte of a streamed body).
 */
const routes: [path: string, kind: string, required: string[], optional: string[]][] = [
  ['/dynamic', 'App Router dynamic page, through the middleware', ['middleware'], ['render']],
  ['/streamed', 'App Router streamed page (Suspense)', [], ['render']],
  ['/products', 'App Router page that queries PostgreSQL', ['postgresql'], ['render']],
  ['/api/products', 'route handler wrapped in withServerTiming', ['postgresql', 'count', 'handler'], []],
  ['/legacy', 'Pages Router page (getServerSideProps)', ['data'], ['render']],
  ['/api/legacy', 'Pages Router API route', [], ['handler']],
  ['/from-proxy', 'response of the middleware (proxy)', ['middleware'], []],
  // Its spans are the edge sandbox's: the header has Next's request span, not the route's own metrics.
  ['/api/edge', 'edge-runtime route handler', [], []],
  ['/no-such-page', 'not-found page', [], ['render']],
];

/** Checks that `header` is one value of ours (each metric once: one `total`, one trace context); its names. */
function expectOneHeader(header: string): string[] {
  const names = parseServerTiming(header).map((metric) => metric.name);
  expect(
    names.filter((name) => name === 'total'),
    header,
  ).toHaveLength(1);
  expect(
    names.filter((name) => name === 'traceparent'),
    header,
  ).toHaveLength(1);
  expect(new Set(names).size, header).toBe(names.length);
  return names;
}

describe.each([
  ['@vercel/otel', vercelOtel],
  ['NodeSDK', nodeSdk],
] as [string, () => NextApp][])(
  'next start with %s: every response carries one Server-Timing header',
  (_setup, app) => {
    it('writes nothing on the static page, which Next serves for shared caches (s-maxage)', async () => {
      // A CDN would replay one request's trace context to every visitor: `sharedCache: 'strip'`, the default.
      const { response, header } = await fetchServerTiming(`${app().url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/s-maxage=\d+/);
      expect(header).toBe('');
    });

    it.each(routes)('%s (%s)', async (path, _kind, required, optional) => {
      const { response, header, byName, traceContext } = await fetchServerTiming(`${app().url}${path}`);
      expect(response.status).toBe(path === '/no-such-page' ? 404 : 200);
      // One total and one trace context, whatever the number of writers (withServerTiming on /api/products).
      const names = expectOneHeader(header);
      for (const name of required) expect(byName[name], `${name} in ${header}`).toBeDefined();
      // Only the metrics meant: never one per internal Next.js span name.
      const allowed = ['total', 'traceparent', ...required, ...optional];
      expect(
        names.filter((name) => !allowed.includes(name ?? '')),
        header,
      ).toEqual([]);
      expect(traceContext?.sampled).toBe(true);
      const server = await exportedServerSpan(app(), traceContext?.traceId ?? '');
      expect(server.spanId).toBe(traceContext?.spanId);
      expect(server.attributes['next.span_type']).toBe('BaseServer.handleRequest');
      // Attaching started no span of its own: the header's span is the trace's root, and every SERVER span
      // of the trace is Next's (a request through the middleware has two of them, both Next's).
      expect(server.parentSpanId ?? '').toBe('');
      const serverSpans = app().spans.filter((span) => span.traceId === server.traceId && span.kind === 2);
      for (const span of serverSpans)
        expect(span.attributes['next.span_type']).toBe('BaseServer.handleRequest');
    });

    it('gives each of many concurrent requests its own trace', async () => {
      const paths = Array.from({ length: 24 }, (_, index) => (index % 2 === 0 ? '/dynamic' : '/products'));
      const timings = await Promise.all(paths.map((path) => fetchServerTiming(`${app().url}${path}`)));
      const traceIds = timings.map((timing) => timing.traceContext?.traceId);
      expect(new Set(traceIds).size).toBe(paths.length);
      for (const [index, timing] of timings.entries()) {
        const server = await exportedServerSpan(app(), timing.traceContext?.traceId ?? '');
        expect(server.attributes['http.target']).toBe(paths[index]);
        expect(server.spanId).toBe(timing.traceContext?.spanId);
      }
    });
  },
);

/**
 * The parts of the adapter contract (tools/adapter-test-kit) that apply to a built Next.js app: the
 * header's durations against the exported spans, and the server span (not the caller's) as the trace
 * context. Those that need the app restarted with other options (`enabled`, `crossOrigin`, invalid
 * options) would add a `next start` each and are covered on every other entry point; isolation is checked
 * above with 24 concurrent renders, the 500 of the contract would add minutes here.
 */
describe.each([
  ['@vercel/otel', vercelOtel],
  ['NodeSDK', nodeSdk],
] as [string, () => NextApp][])('next start with %s: the adapter contract', (_setup, app) => {
  it('gives /products a postgresql duration equal to the union of the exported query spans', async () => {
    const { header, byName, traceContext } = await fetchServerTiming(`${app().url}/products`);
    const server = await exportedServerSpan(app(), traceContext?.traceId ?? '');
    const spans = await waitFor(`the spans of ${server.spanId} at the receiver`, () =>
      settledRequestSpans(app().spans.map(toReadableSpan), server.spanId),
    );
    const union = unionDuration(spans, 'postgresql');
    expect(union, header).toBeGreaterThan(0);
    expect(Math.abs((byName.postgresql?.duration ?? 0) - union), header).toBeLessThanOrEqual(0.01);
    expect(byName.total?.duration ?? 0, header).toBeGreaterThanOrEqual(byName.postgresql?.duration ?? 0);
  });

  it('names its own server span, not the caller’s, when the request carries a traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { traceContext } = await fetchServerTiming(`${app().url}/dynamic`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(traceContext?.traceId).toBe(traceId);
    expect(traceContext?.spanId).not.toBe('00f067aa0ba902b7');
    const server = await exportedServerSpan(app(), traceId);
    expect(server.spanId).toBe(traceContext?.spanId);
  });
});

describe('the pages in Chromium', () => {
  const app = vercelOtel;
  it('links the page load to the server span Next exported, and answers a server action with a header', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app().url}/products`);
      // What @otel-server-timing/browser read from the navigation entry, as the page shows it.
      await page.waitForFunction(() => document.querySelector('#server-trace')?.textContent !== '');
      const shown = await page.locator('#server-trace').textContent();
      const navigation = await page.evaluate(() => {
        const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        return entry?.serverTiming.map(({ name, description }) => ({ name, description })) ?? [];
      });
      const traceparent = navigation.find((metric) => metric.name === 'traceparent')?.description ?? '';
      const [, traceId, spanId] = traceparent.split('-');
      const server = await exportedServerSpan(app(), traceId ?? '');
      expect(server.spanId).toBe(spanId);
      expect(server.name).toBe('GET /products');
      expect(shown).toContain(`server trace ${traceId}:`);
      expect(navigation.map((metric) => metric.name)).toEqual(
        expect.arrayContaining(['render', 'postgresql', 'total', 'traceparent']),
      );

      // A server action: the button POSTs to the page; Next runs the action and answers.
      await page.goto(`${app().url}/action`);
      const [actionResponse] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST'),
        page.locator('#add').click(),
      ]);
      const header = (await actionResponse.allHeaders())['server-timing'] ?? '';
      expect(expectOneHeader(header), header).toContain('postgresql');
      await page.locator('#add').filter({ hasText: 'products' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
