import { serverTiming } from '@otel-server-timing/express';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BeforeLoadRecord } from './e2e/observe-before-load-page.js';
import { bundlePageScript, contextOf, type EndToEnd, lookUp, startEndToEnd } from './support/end-to-end.js';

// The browser-mode tests run in a page that has loaded already, where Chromium hands the navigation entry
// to a buffered observer only once. This page starts observing from its <head>, as a real page does.

let e2e: EndToEnd;

beforeAll(async () => {
  e2e = await startEndToEnd();
});

afterAll(() => e2e?.close());

describe('observeServerTiming started before the load event, in Chromium, against Express with OpenTelemetry', () => {
  it('reports the navigation entry once, although Chromium hands it over again when the load event ends', async () => {
    const observeScript = await bundlePageScript(
      new URL('./e2e/observe-before-load-page.ts', import.meta.url),
    );
    const app = e2e.express();
    app.use(serverTiming());
    app.get('/', async (_req: Request, res: Response) => {
      await lookUp('page');
      res
        .type('html')
        .send(
          '<!doctype html><html><head><title>observe before load</title><link rel="icon" href="data:,">' +
            '<script src="/observe.js"></script></head><body><p>Observed from the head</p></body></html>',
        );
    });
    app.get('/observe.js', (_req: Request, res: Response) => {
      res.type('js').send(observeScript);
    });
    const origin = await e2e.listen(app);

    const page = await e2e.browser.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${origin}/`);
    await page.waitForFunction(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd > 0,
    );
    // Observers are handed entries in the order they were queued: once a mark queued now has arrived, so has
    // the navigation entry that the end of the load event queued.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          new PerformanceObserver((_list, observer) => {
            observer.disconnect();
            resolve();
          }).observe({ type: 'mark' });
          performance.mark('settled');
        }),
    );
    const record: BeforeLoadRecord = await page.evaluate(() => window.beforeLoad);
    await page.close();
    expect(pageErrors).toEqual([]);

    expect(record.readyStateAtStart, 'the page started observing before it loaded').toBe('loading');
    expect(
      record.controlNavigationDeliveries,
      'a plain buffered PerformanceObserver started before load should see the navigation entry twice ' +
        '(Chromium re-delivers it when the load event ends); if this Chromium no longer does, this test no ' +
        'longer checks the once-per-entry rule of observeServerTiming and needs another way to provoke it',
    ).toBe(2);

    const navigations = record.reported.filter((reported) => reported.entryType === 'navigation');
    expect(navigations, 'observeServerTiming reports the navigation entry exactly once').toHaveLength(1);
    expect(navigations[0]).toEqual({
      entryType: 'navigation',
      url: `${origin}/`,
      metrics: expect.arrayContaining([
        expect.objectContaining({ name: 'total', duration: expect.any(Number) }),
        expect.objectContaining({ name: 'lookup_page', duration: expect.any(Number) }),
      ]),
      traceContext: expect.objectContaining({ ...contextOf(e2e.serverSpan('/')), sampled: true }),
      ignored: null,
    });
    // The script that observes is a resource of the same server, reported once as well, and nothing else (the
    // page names a data: icon, so Chromium requests no /favicon.ico).
    expect(record.reported.map(({ entryType, url }) => `${entryType} ${url}`).sort()).toEqual([
      `navigation ${origin}/`,
      `resource ${origin}/observe.js`,
    ]);
    expect(record.reported.find(({ entryType }) => entryType === 'resource')?.traceContext).toMatchObject(
      contextOf(e2e.serverSpan('/observe.js')),
    );
  });
});
