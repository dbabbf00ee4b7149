import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@otel-server-timing/chromium';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { serverTiming } from '@otel-server-timing/express';
import { build } from 'esbuild';
import type { Express, Request, Response } from 'express';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageSpan } from './e2e/page.js';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  spanProcessors: [new ServerTimingSpanProcessor(), new SimpleSpanProcessor(exporter)],
});
const servers: Server[] = [];
let browser: Browser;
let unregister: () => void;
let express: () => Express;

function listen(app: Express): Promise<string> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
    servers.push(server);
  });
}

/** A step of the request's own, so that the header has a child span to report. */
async function lookUp(name: string): Promise<void> {
  const span = trace.getTracer('e2e').startSpan(`lookup ${name}`, {}, context.active());
  await new Promise((resolve) => setTimeout(resolve, 2));
  span.end();
}

async function bundlePageScript(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./e2e/page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

beforeAll(async () => {
  provider.register();
  unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  });
  // Loaded after the instrumentations, by its real module name, so that require-in-the-middle patches it.
  express = createRequire(import.meta.url)('express');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  unregister?.();
  await provider.shutdown();
});

function serverSpan(path: string): ReadableSpan {
  const spans = exporter
    .getFinishedSpans()
    .filter((span) => span.kind === SpanKind.SERVER && span.attributes['url.path'] === path);
  expect(spans, `one server span for ${path}`).toHaveLength(1);
  return spans[0]!;
}

function linkTarget(span: PageSpan | undefined): { traceId: string; spanId: string } | undefined {
  expect(span?.links).toHaveLength(1);
  return span && { traceId: span.links[0]!.traceId, spanId: span.links[0]!.spanId };
}

function contextOf(span: ReadableSpan): { traceId: string; spanId: string } {
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

describe('end to end: Express with OpenTelemetry → Server-Timing → the browser SDK in Chromium', () => {
  it('links the browser spans to exactly the server spans that answered them', async () => {
    const pageScript = await bundlePageScript();

    const api = express();
    const pageApp = express();
    const pageOrigin = await listen(pageApp);
    api.use((_req: Request, res: Response, next: () => void) => {
      res.setHeader('Access-Control-Allow-Origin', pageOrigin);
      next();
    });
    api.use(serverTiming({ crossOrigin: pageOrigin }));
    api.get('/api/cross-origin', async (_req: Request, res: Response) => {
      await lookUp('cross-origin');
      res.json({ ok: true });
    });
    const apiOrigin = await listen(api);

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

    expect(linkTarget(documentFetch)).toEqual(contextOf(serverSpan('/')));
    expect(linkTarget(scriptFetch)).toEqual(contextOf(serverSpan('/page.js')));
    const sameOrigin = serverSpan('/api/same-origin');
    const crossOrigin = serverSpan('/api/cross-origin');
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
