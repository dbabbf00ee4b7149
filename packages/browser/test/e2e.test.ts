import { SpanKind } from '@opentelemetry/api';
import { ENGINES, type EngineBrowser, launchEngine } from '@otel-server-timing/browsers';
import { serverTiming } from '@otel-server-timing/express';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PageSpan } from './e2e/page.js';
import { bundlePageScript, contextOf, type EndToEnd, lookUp, startEndToEnd } from './support/end-to-end.js';

let e2e: EndToEnd;

beforeAll(async () => {
  e2e = await startEndToEnd();
});

afterAll(() => e2e?.close());

beforeEach(() => e2e.forgetSpans());

function linkTarget(span: PageSpan | undefined): { traceId: string; spanId: string } | undefined {
  expect(span?.links).toHaveLength(1);
  return span && { traceId: span.links[0]!.traceId, spanId: span.links[0]!.spanId };
}

describe.each(ENGINES)('end to end in %s', (engine) => {
  let browser: EngineBrowser;

  beforeAll(async () => {
    browser = await launchEngine(engine);
  });

  afterAll(() => browser?.close());

  it('links the browser spans to exactly the server spans that answered them', async () => {
    const pageScript = await bundlePageScript(new URL('./e2e/page.ts', import.meta.url));

    const api = e2e.express();
    const pageApp = e2e.express();
    const pageOrigin = await e2e.listen(pageApp);
    api.use((_req: Request, res: Response, next: () => void) => {
      res.setHeader('Access-Control-Allow-Origin', pageOrigin);
      next();
    });
    api.use(serverTiming({ crossOrigin: pageOrigin }));
    api.get('/api/cross-origin', async (_req: Request, res: Response) => {
      await lookUp('cross-origin');
      res.json({ ok: true });
    });
    const apiOrigin = await e2e.listen(api);

    pageApp.use(serverTiming());
    pageApp.get('/', (_req: Request, res: Response) => {
      res
        .type('html')
        .send(
          `<!doctype html><title>e2e</title><script>window.crossOrigin = ${JSON.stringify(apiOrigin)};</script>` +
            '<script src="/page.js"></script><p>Server-Timing end to end</p>',
        );
    });
    pageApp.get('/page.js', (_req: Request, res: Response) => {
      res.type('js').send(pageScript);
    });
    pageApp.get('/api/same-origin', async (_req: Request, res: Response) => {
      await lookUp('same-origin');
      res.json({ ok: true });
    });

    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    await page.waitForFunction(
      () =>
        window.fetched &&
        window.finishedSpans.filter((span) => span.kind === 2 /* CLIENT */).length === 2 &&
        window.finishedSpans.some((span) => span.name === 'documentLoad'),
    );
    const browserSpans = await page.evaluate(() => window.finishedSpans);
    expect(await page.errors()).toEqual([]);
    await page.close();

    const byUrl = (url: string) =>
      browserSpans.find((span) => span.kind === SpanKind.CLIENT && span.attributes['url.full'] === url);
    const documentFetch = browserSpans.find((span) => span.name === 'documentFetch');
    const scriptFetch = browserSpans.find(
      (span) => span.name === 'resourceFetch' && span.attributes['url.full'] === `${pageOrigin}/page.js`,
    );

    expect(linkTarget(documentFetch)).toEqual(contextOf(e2e.serverSpan('/')));
    expect(linkTarget(scriptFetch)).toEqual(contextOf(e2e.serverSpan('/page.js')));
    const sameOrigin = e2e.serverSpan('/api/same-origin');
    const crossOrigin = e2e.serverSpan('/api/cross-origin');
    expect(linkTarget(byUrl(`${pageOrigin}/api/same-origin`))).toEqual(contextOf(sameOrigin));

    // The same-origin fetch sent its traceparent, so the server span is its child in one trace; the
    // cross-origin one did not (no propagateTraceHeaderCorsUrls): there the link is the only connection.
    const sameOriginFetch = byUrl(`${pageOrigin}/api/same-origin`)!;
    expect(sameOrigin.parentSpanContext?.spanId).toBe(sameOriginFetch.spanId);
    expect(crossOrigin.spanContext().traceId).not.toBe(byUrl(`${apiOrigin}/api/cross-origin`)!.traceId);
    for (const span of [documentFetch, scriptFetch, byUrl(`${pageOrigin}/api/same-origin`)]) {
      expect(span!.links[0]!.isRemote).toBe(true);
      expect(span!.attributes['server_timing.total.duration']).toEqual(expect.any(Number));
    }
    const crossOriginFetch = byUrl(`${apiOrigin}/api/cross-origin`)!;
    if (engine === 'webkit') {
      // WebKit never exposes a cross-origin response's serverTiming, even with Timing-Allow-Origin.
      expect(crossOriginFetch.links).toEqual([]);
      return;
    }
    expect(linkTarget(crossOriginFetch)).toEqual(contextOf(crossOrigin));
    expect(crossOriginFetch.attributes).toMatchObject({
      'server_timing.trace_id': crossOrigin.spanContext().traceId,
      'server_timing.span_id': crossOrigin.spanContext().spanId,
      'server_timing.lookup_cross-origin.duration': expect.any(Number),
    });
  });
});
