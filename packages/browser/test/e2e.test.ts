import { SpanKind } from '@opentelemetry/api';
import { serverTiming } from '@otel-server-timing/express';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageSpan } from './e2e/page.js';
import { bundlePageScript, contextOf, type EndToEnd, lookUp, startEndToEnd } from './support/end-to-end.js';

let e2e: EndToEnd;

beforeAll(async () => {
  e2e = await startEndToEnd();
});

afterAll(() => e2e?.close());

function linkTarget(span: PageSpan | undefined): { traceId: string; spanId: string } | undefined {
  expect(span?.links).toHaveLength(1);
  return span && { traceId: span.links[0]!.traceId, spanId: span.links[0]!.spanId };
}

describe('end to end: Express with OpenTelemetry → Server-Timing → the browser SDK in Chromium', () => {
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

    const page = await e2e.browser.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${pageOrigin}/`);
    await page.waitForFunction(
      () =>
        window.fetched &&
        window.finishedSpans.filter((span) => span.kind === 2 /* CLIENT */).length === 2 &&
        window.finishedSpans.some((span) => span.name === 'documentLoad'),
      undefined,
      { timeout: 15_000 },
    );
    const browserSpans = await page.evaluate(() => window.finishedSpans);
    await page.close();
    expect(pageErrors).toEqual([]);

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
    expect(linkTarget(byUrl(`${apiOrigin}/api/cross-origin`))).toEqual(contextOf(crossOrigin));

    // The same-origin fetch sent its traceparent, so the server span is its child in one trace; the
    // cross-origin one did not (no propagateTraceHeaderCorsUrls): there the link is the only connection.
    const sameOriginFetch = byUrl(`${pageOrigin}/api/same-origin`)!;
    expect(sameOrigin.parentSpanContext?.spanId).toBe(sameOriginFetch.spanId);
    expect(crossOrigin.spanContext().traceId).not.toBe(byUrl(`${apiOrigin}/api/cross-origin`)!.traceId);
    for (const span of [documentFetch, scriptFetch, byUrl(`${pageOrigin}/api/same-origin`)]) {
      expect(span!.links[0]!.isRemote).toBe(true);
      expect(span!.attributes['server_timing.total.duration']).toEqual(expect.any(Number));
    }
    expect(byUrl(`${apiOrigin}/api/cross-origin`)!.attributes).toMatchObject({
      'server_timing.trace_id': crossOrigin.spanContext().traceId,
      'server_timing.span_id': crossOrigin.spanContext().spanId,
      'server_timing.lookup_cross-origin.duration': expect.any(Number),
    });
  });
});
