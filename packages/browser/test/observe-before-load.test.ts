import { ENGINES, type EngineBrowser, launchEngine } from '@otel-server-timing/browsers';
import { serverTiming } from '@otel-server-timing/express';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BeforeLoadRecord } from './e2e/observe-before-load-page.js';
import { bundlePageScript, contextOf, type EndToEnd, lookUp, startEndToEnd } from './support/end-to-end.js';

// The browser-mode tests run in a page that has loaded already, where the browser hands the navigation entry
// to a buffered observer only once. This page starts observing from its <head>, as a real page does.

let e2e: EndToEnd;

beforeAll(async () => {
  e2e = await startEndToEnd();
});

afterAll(() => e2e?.close());

beforeEach(() => e2e.forgetSpans());

describe.each(ENGINES)(
  'observeServerTiming started before the load event, in %s, against Express with OpenTelemetry',
  (engine) => {
    let browser: EngineBrowser;

    beforeAll(async () => {
      browser = await launchEngine(engine);
    });

    afterAll(() => browser?.close());

    it('reports the navigation entry once, although Chromium and Firefox hand it over again when the load event ends', async () => {
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

      const page = await browser.newPage();
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
      expect(await page.errors()).toEqual([]);
      await page.close();

      expect(record.readyStateAtStart, 'the page started observing before it loaded').toBe('loading');
      // Chromium and Firefox hand a plain buffered observer started before load the navigation entry twice
      // (again when the load event ends); WebKit hands it over once. If an engine changes, this test no longer
      // provokes the once-per-entry rule of observeServerTiming there and needs another way to.
      expect(
        record.controlNavigationDeliveries,
        'deliveries of the navigation entry to a plain observer',
      ).toBe(engine === 'webkit' ? 1 : 2);

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
      // page names a data: icon, so no browser requests /favicon.ico).
      expect(record.reported.map(({ entryType, url }) => `${entryType} ${url}`).sort()).toEqual([
        `navigation ${origin}/`,
        `resource ${origin}/observe.js`,
      ]);
      expect(record.reported.find(({ entryType }) => entryType === 'resource')?.traceContext).toMatchObject(
        contextOf(e2e.serverSpan('/observe.js')),
      );
    });
  },
);
