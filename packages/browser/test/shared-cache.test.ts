import { type EngineBrowser, launchEngine } from '@otel-server-timing/browsers';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { serverTiming } from '@otel-server-timing/express';
import { type RunningService, startNginxCache } from '@otel-server-timing/services';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePageScript, type EndToEnd, startEndToEnd } from './support/end-to-end.js';

// A real app with the library behind a real shared cache (nginx, proxy_cache on), visited twice.
let e2e: EndToEnd;
let nginx: RunningService | undefined;
let cacheOrigin: string;
/** How much older than the page's request the replayed stamp must be: the page allows 1 s of skew. */
const REPLAY_AGE_MS = 1_500;

beforeAll(async () => {
  e2e = await startEndToEnd();
  const pageScript = await bundlePageScript(new URL('./e2e/replay-page.ts', import.meta.url));
  const page = (_req: Request, res: Response) =>
    res.type('html').send('<!doctype html><title>replay</title><script src="/replay-page.js"></script>');
  const app = e2e.express();
  app.get('/replay-page.js', (_req: Request, res: Response) => {
    res.type('js').send(pageScript);
  });
  // The default: a response a shared cache may store gets no Server-Timing of ours.
  app.get('/stripped', serverTiming(), (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=60');
    res.send('stripped');
  });
  app.get('/private', serverTiming(), (_req: Request, res: Response) => {
    res.set('Cache-Control', 'private, max-age=60');
    res.send('private');
  });
  // Opted out: the cache replays the first request's trace context, stamped with the server's clock.
  app.get('/kept', serverTiming({ sharedCache: 'keep' }), (req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=60');
    page(req, res);
  });
  app.get('/fresh', serverTiming({ sharedCache: 'keep' }), (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    page(req, res);
  });
  nginx = await startNginxCache(await e2e.listen(app));
  cacheOrigin = `http://${nginx.host}:${nginx.port}`;
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  await e2e?.close();
});

async function visit(path: string) {
  const response = await fetch(`${cacheOrigin}${path}`);
  await response.text();
  const header = response.headers.get('server-timing');
  return {
    cache: response.headers.get('x-cache-status'),
    header,
    traceId: header === null ? undefined : readTraceContext(parseServerTiming(header))?.traceId,
  };
}

describe('behind a shared cache (nginx proxy_cache)', () => {
  it('a cacheable response carries no trace context, so the second visitor sees none of the first', async () => {
    const first = await visit('/stripped');
    const second = await visit('/stripped');
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(first.header).toBeNull();
    expect(second.header).toBeNull();
    // A private response passes the cache by: each visitor its own trace.
    const [one, two] = [await visit('/private'), await visit('/private')];
    expect([one.cache, two.cache]).toEqual(['MISS', 'MISS']);
    expect(one.traceId).toBeDefined();
    expect(two.traceId).toBeDefined();
    expect(two.traceId).not.toBe(one.traceId);
  });

  describe('with sharedCache: keep, in Chromium', () => {
    let browser: EngineBrowser;
    beforeAll(async () => {
      browser = await launchEngine('chromium');
    }, 120_000);
    afterAll(() => browser?.close());

    it('the cache replays the first trace context, and the browser package ignores it as replayed', async () => {
      const first = await visit('/kept?skew=1000');
      expect(first.cache).toBe('MISS');
      expect(first.traceId).toBeDefined();
      expect(first.header).toMatch(/timestamp;desc=\d+/);
      await new Promise((resolve) => setTimeout(resolve, REPLAY_AGE_MS));

      const page = await browser.newPage();
      await page.goto(`${cacheOrigin}/kept?skew=1000`);
      await page.waitForFunction(() => window.replayReading !== undefined);
      const replayed = await page.evaluate(() => window.replayReading);
      // The replay happened: a network response (bytes transferred), the first visitor's header.
      expect(replayed.transferSize).toBeGreaterThan(0);
      expect(replayed.reading?.ignored).toBe('replayed');
      expect(replayed.reading?.traceContext).toBeUndefined();
      const again = await visit('/kept?skew=1000');
      expect([again.cache, again.traceId]).toEqual(['HIT', first.traceId]);

      // A response the cache does not store is read as usual, with its own trace context.
      await page.goto(`${cacheOrigin}/fresh?skew=1000`);
      await page.waitForFunction(() => window.replayReading !== undefined);
      const fresh = await page.evaluate(() => window.replayReading);
      expect(fresh.reading?.ignored).toBeUndefined();
      expect(fresh.reading?.traceContext?.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(fresh.reading?.traceContext?.traceId).not.toBe(first.traceId);
      expect(await page.errors()).toEqual([]);
      await page.close();
    });
  });
});
