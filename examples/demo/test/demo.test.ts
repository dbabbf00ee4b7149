import { fetchServerTiming, spanCount, useExample } from '@otel-server-timing/example-support/testing';
import { describe, expect, it } from 'vitest';
import { launchChromium, waitForCards } from '../scripts/chromium.mjs';

const demo = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'server.mjs']);

/** The trace ids the demo printed for SERVER spans of `route`. */
function printedTraceIds(route: string): string[] {
  const lines = demo()
    .output()
    .split('\n')
    .filter((line) => line.includes(' SERVER ') && line.includes(`http.route=${route} `));
  return lines.map((line) => /trace ([0-9a-f]{8})/.exec(line)?.[1] ?? '');
}

describe('the demo service', () => {
  it('serves the page with Server-Timing from its spans', async () => {
    const { response, byName, header, traceContext } = await fetchServerTiming(`${demo().url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    // One real query; the pool's checkout and connect are not queries.
    expect(spanCount(byName.postgresql), header).toBe(1);
    expect(traceContext?.sampled).toBe(true);
  });

  it('answers the API routes with their child spans as metrics', async () => {
    const products = await fetchServerTiming(`${demo().url}/api/products`);
    expect(spanCount(products.byName.postgresql), products.header).toBe(3);
    expect(products.byName.cache?.description, products.header).toBe('miss');

    // Two sequential queries, then one call through node:http and one through fetch.
    const slow = await fetchServerTiming(`${demo().url}/api/slow`);
    expect(spanCount(slow.byName.postgresql), slow.header).toBe(2);
    expect(slow.byName.http?.description, slow.header).toBe('2x GET');
    expect(slow.byName.total?.duration).toBeGreaterThanOrEqual(slow.byName.http?.duration ?? Number.NaN);

    const cached = await fetchServerTiming(`${demo().url}/api/cache`);
    expect(cached.response.headers.get('cache-control')).toBe('max-age=15');
    expect(spanCount(cached.byName.postgresql), cached.header).toBe(1);
  });
});

describe('the demo page in Chromium', () => {
  it('draws a waterfall for the page load and each API call, with the server trace id', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${demo().url}/`);
      await waitForCards(page, 4);
      const cards = await page.$$eval('.card', (nodes) =>
        nodes.map((node) => ({
          title: node.querySelector('.kind')?.textContent,
          url: node.querySelector('.url')?.textContent,
          traceId: node.querySelector('.trace-id')?.textContent,
          rows: [...node.querySelectorAll('.row:not(.ticks) .label span')].map((label) => label.textContent),
          note: node.querySelector('.note')?.textContent,
        })),
      );
      expect(errors).toEqual([]);
      expect(cards.map((card) => `${card.title} ${card.url}`)).toEqual([
        'Page load GET /',
        'fetch GET /api/products',
        'fetch GET /api/slow',
        'fetch GET /api/cache',
        'fetch GET /api/cache',
      ]);
      const [pageLoad, products, slow, cache, cachedAgain] = cards;
      const browserRows = ['request → first byte', 'download', 'total'];
      expect(pageLoad?.rows).toEqual([...browserRows, 'postgresql']);
      expect(products?.rows).toEqual([...browserRows, 'postgresql']);
      expect(slow?.rows).toEqual([...browserRows, 'postgresql', 'http']);
      expect(cache?.rows).toEqual([...browserRows, 'postgresql']);
      // The trace id the page shows is the one the server printed for that request's span.
      expect(printedTraceIds('/')).toContain(pageLoad?.traceId?.slice(0, 8));
      expect(printedTraceIds('/api/slow')).toContain(slow?.traceId?.slice(0, 8));
      // The second /api/cache call came from the browser's cache: drawn, but its stale timings ignored.
      expect(cachedAgain?.traceId).toBeUndefined();
      expect(cachedAgain?.rows).toEqual(['request → first byte', 'download']);
      expect(cachedAgain?.note).toContain("browser's cache");
    } finally {
      await browser.close();
    }
  });
});
