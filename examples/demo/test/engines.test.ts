// The demo page in each browser engine the project supports: the page reads its own Server-Timing and
// its API calls' with @otel-server-timing/browser and draws them. One browser per engine for the file.
import { useExample } from '@otel-server-timing/example-support/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, launchEngine, waitForCards } from '../scripts/browsers.mjs';

const demo = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'server.mjs']);

/** The trace ids the demo printed for SERVER spans of `route`. */
function printedTraceIds(route: string): string[] {
  const lines = demo()
    .output()
    .split('\n')
    .filter((line) => line.includes(' SERVER ') && line.includes(`http.route=${route} `));
  return lines.map((line) => /trace ([0-9a-f]{8})/.exec(line)?.[1] ?? '');
}

type Card = {
  title: string;
  url: string;
  traceId: string | undefined;
  rows: string[];
  /** The rows drawn nested under the call that brought them (a downstream service's metrics). */
  nested: string[];
  note: string | undefined;
};

describe.each(ENGINES)('the demo page in %s', (engine) => {
  let browser: Awaited<ReturnType<typeof launchEngine>>;

  beforeAll(async () => {
    browser = await launchEngine(engine);
  }, 120_000);

  afterAll(() => browser?.close());

  it('draws a waterfall for the page load and each API call, with the server trace id', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo().url}/`);
    await waitForCards(page, 4);
    const cards: Card[] = await page.evaluate(() =>
      [...document.querySelectorAll('.card')].map((node) => ({
        title: node.querySelector('.kind')?.textContent ?? '',
        url: node.querySelector('.url')?.textContent ?? '',
        traceId: node.querySelector('.trace-id')?.textContent ?? undefined,
        rows: [...node.querySelectorAll('.row:not(.ticks) .label span')].map(
          (label) => label.textContent ?? '',
        ),
        nested: [...node.querySelectorAll('.row.downstream .label span')].map(
          (label) => label.textContent ?? '',
        ),
        note: node.querySelector('.note')?.textContent ?? undefined,
      })),
    );
    expect(await page.errors()).toEqual([]);
    await page.close();

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
    // The shipping service's own metrics, folded into the demo service's header, under the calls to it.
    const shipping = ['shipping.postgresql', 'shipping.total'];
    expect(slow?.rows).toEqual([...browserRows, 'postgresql', 'http', ...shipping]);
    expect(slow?.nested).toEqual(shipping);
    expect(cache?.rows).toEqual([...browserRows, 'postgresql']);
    // The trace id the page shows is the one the server printed for that request's span.
    expect(printedTraceIds('/')).toContain(pageLoad?.traceId?.slice(0, 8));
    expect(printedTraceIds('/api/slow')).toContain(slow?.traceId?.slice(0, 8));
    if (engine === 'webkit') {
      // WebKit's automation browser keeps no HTTP cache: the second /api/cache call went to the server.
      expect(cachedAgain?.rows).toEqual([...browserRows, 'postgresql']);
      expect(printedTraceIds('/api/cache')).toContain(cachedAgain?.traceId?.slice(0, 8));
      return;
    }
    // The second /api/cache call came from the browser's cache: drawn, but its stale timings ignored.
    expect(cachedAgain?.traceId).toBeUndefined();
    expect(cachedAgain?.rows).toEqual(['request → first byte', 'download']);
    expect(cachedAgain?.note).toContain("browser's cache");
  });
});
