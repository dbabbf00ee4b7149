import { context, SpanKind, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getServerTiming } from '../../src/index.js';
import {
  ATTR_SERVER_SPAN_ID,
  ATTR_SERVER_TIMING_IGNORED,
  ATTR_SERVER_TRACE_ID,
  ServerTimingLinkProcessor,
  serverMetricAttribute,
} from '../../src/otel.js';
import { PAGE_TRACEPARENT } from '../support/constants.js';
import { engine, fetchJson, hasHttpCache, loadWithXhr, serverTimingUrl } from './helpers.js';

const exporter = new InMemorySpanExporter();
const linkProcessor = new ServerTimingLinkProcessor();
const spanProcessors: SpanProcessor[] = [linkProcessor, new SimpleSpanProcessor(exporter)];
const provider = new WebTracerProvider({ spanProcessors });
let unregister: () => void;

beforeAll(() => {
  provider.register();
  unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // `uninstrumented` marks fetches a test wants without a span of their own.
      new FetchInstrumentation({ ignoreUrls: [/\/@vite|\/__vitest|[?&]uninstrumented=/] }),
      new XMLHttpRequestInstrumentation(),
    ],
  });
});

afterAll(async () => {
  unregister();
  await provider.shutdown();
});

/** The finished span for `url` (waits for the instrumentation to end it). */
function spanFor(url: string, kind: SpanKind = SpanKind.CLIENT): Promise<ReadableSpan> {
  return expect
    .poll(() =>
      exporter.getFinishedSpans().find((span) => span.kind === kind && span.attributes['url.full'] === url),
    )
    .toBeDefined()
    .then(
      () =>
        exporter
          .getFinishedSpans()
          .find((span) => span.kind === kind && span.attributes['url.full'] === url)!,
    );
}

function serverOf(traceparent: string): { traceId: string; spanId: string } {
  return { traceId: traceparent.slice(3, 35), spanId: traceparent.slice(36, 52) };
}

describe('ServerTimingLinkProcessor', () => {
  it('links the documentFetch span to the server span of the navigation', async () => {
    await expect
      .poll(() => exporter.getFinishedSpans().some((span) => span.name === 'documentFetch'))
      .toBe(true);
    const documentFetch = exporter.getFinishedSpans().find((span) => span.name === 'documentFetch')!;
    const server = serverOf(PAGE_TRACEPARENT);
    expect(documentFetch.links).toEqual([{ context: { ...server, traceFlags: 1, isRemote: true } }]);
    expect(documentFetch.attributes).toMatchObject({
      [ATTR_SERVER_TRACE_ID]: server.traceId,
      [ATTR_SERVER_SPAN_ID]: server.spanId,
      [serverMetricAttribute('app')]: 12.5,
    });
    const documentLoad = exporter.getFinishedSpans().find((span) => span.name === 'documentLoad');
    expect(documentLoad?.links).toEqual([]);
  });

  it('links a fetch span to the server span of its response, with the metrics as attributes', async () => {
    const url = serverTimingUrl('traceparent;desc="{traceparent}", db;dur=7.25;desc=pg, total;dur=9');
    const body = await fetchJson(url);
    const span = await spanFor(url);
    const server = serverOf(body.traceparent);
    expect(span.links).toEqual([{ context: { ...server, traceFlags: 1, isRemote: true } }]);
    expect(span.attributes).toMatchObject({
      [ATTR_SERVER_TRACE_ID]: server.traceId,
      [ATTR_SERVER_SPAN_ID]: server.spanId,
      'server_timing.db.duration': 7.25,
      'server_timing.total.duration': 9,
    });
    expect(span.attributes).not.toHaveProperty('server_timing.traceparent.duration');
  });

  it('links an XMLHttpRequest span', async () => {
    const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`;
    const url = serverTimingUrl(`trace;desc=${traceparent}`);
    await loadWithXhr(url);
    const span = await spanFor(url);
    expect(span.links).toEqual([{ context: { ...serverOf(traceparent), traceFlags: 0, isRemote: true } }]);
  });

  it('links concurrent requests for one URL each to its own server span', async () => {
    const url = serverTimingUrl('traceparent;desc="{traceparent}"');
    const bodies = await Promise.all([fetchJson(url), fetchJson(url), fetchJson(url)]);
    await expect
      .poll(() => exporter.getFinishedSpans().filter((span) => span.attributes['url.full'] === url))
      .toHaveLength(3);
    for (const span of exporter
      .getFinishedSpans()
      .filter((candidate) => candidate.attributes['url.full'] === url)) {
      // The fetch instrumentation sent the span's own context to the server, which echoed it back.
      const body = bodies.find((candidate) =>
        candidate.requestTraceparent?.includes(span.spanContext().spanId),
      );
      expect(body).toBeDefined();
      expect(span.links[0]?.context).toMatchObject(serverOf(body!.traceparent));
    }
  });

  it('tells concurrent requests for one URL apart by trace id where the clock cannot', async () => {
    // Two responses for one URL, fetched without spans; then a span that starts exactly when the first was
    // fetched but whose request (by its trace id) got the second: as with a millisecond clock (Firefox,
    // WebKit), where concurrent requests share one start time.
    const url = serverTimingUrl('traceparent;desc="{traceparent}"', { uninstrumented: '1' });
    await fetchJson(url);
    await fetchJson(url);
    const [first, second] = (performance.getEntriesByName(url) as PerformanceResourceTiming[]).map(
      (entry) => ({
        fetchStart: entry.fetchStart,
        server: serverOf(entry.serverTiming.find((metric) => metric.name === 'traceparent')!.description),
      }),
    );
    const parent = trace.setSpanContext(context.active(), {
      traceId: second!.server.traceId,
      spanId: 'c'.repeat(16),
      traceFlags: 1,
      isRemote: true,
    });
    const span = provider.getTracer('concurrent').startSpan(
      'GET',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'url.full': url },
        startTime: performance.timeOrigin + first!.fetchStart,
      },
      parent,
    );
    span.end();
    const ended = await spanFor(url);
    expect(ended.links[0]?.context).toMatchObject(second!.server);
  });

  it("links a request's fetch span although document-load's resourceFetch span for it ended first", async () => {
    // A page that fetches while it loads: document-load makes a resourceFetch span from the same entry.
    const url = serverTimingUrl('traceparent;desc="{traceparent}"', { uninstrumented: '1' });
    await fetchJson(url);
    const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
    const server = serverOf(entry!.serverTiming[0]!.description);
    const tracer = provider.getTracer('document-and-fetch');
    const startTime = performance.timeOrigin + entry!.fetchStart;
    tracer.startSpan('resourceFetch', { attributes: { 'url.full': url }, startTime }).end();
    const request = trace.setSpanContext(context.active(), {
      ...server,
      spanId: 'd'.repeat(16),
      traceFlags: 1,
    });
    tracer
      .startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'url.full': url }, startTime }, request)
      .end();
    expect((await spanFor(url, SpanKind.INTERNAL)).links[0]?.context).toMatchObject(server);
    expect((await spanFor(url)).links[0]?.context).toMatchObject(server);
  });

  it("never links a span to another request's response for the same URL", async () => {
    const url = serverTimingUrl('traceparent;desc="{traceparent}"', { untraced: '1' });
    const image = new Image();
    await new Promise((resolve, reject) => {
      image.addEventListener('load', resolve);
      image.addEventListener('error', resolve);
      image.src = url;
      setTimeout(() => reject(new Error('image did not settle')), 5000);
    });
    expect(getServerTiming(url)?.traceContext).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fetchJson(url);
    const span = await spanFor(url);
    expect(span.links).toEqual([]);
    expect(span.attributes).not.toHaveProperty(ATTR_SERVER_TRACE_ID);
  });

  it('does not link a response served from cache, and says why', async () => {
    const url = serverTimingUrl('traceparent;desc="{traceparent}", db;dur=1', { cache: '600' });
    await fetchJson(url);
    await spanFor(url);
    exporter.reset();
    const second = await fetchJson(url);
    const cached = await spanFor(url);
    if (!hasHttpCache) {
      // WebKit's automation browser has no HTTP cache: the second response is fresh, and linked.
      expect(cached.links[0]?.context).toMatchObject(serverOf(second.traceparent));
      return;
    }
    expect(cached.links).toEqual([]);
    expect(cached.attributes[ATTR_SERVER_TIMING_IGNORED]).toBe('cache');
    expect(cached.attributes).not.toHaveProperty(ATTR_SERVER_TRACE_ID);
    expect(cached.attributes).not.toHaveProperty('server_timing.db.duration');
  });

  it('links a cross-origin request only when the server sends Timing-Allow-Origin', async () => {
    const crossOrigin = inject('crossOrigin');
    const allowed = serverTimingUrl('traceparent;desc="{traceparent}"', { tao: '1' }, crossOrigin);
    const hidden = serverTimingUrl('traceparent;desc="{traceparent}"', {}, crossOrigin);
    const [allowedBody] = await Promise.all([fetchJson(allowed), fetchJson(hidden)]);
    // WebKit never exposes a cross-origin response's serverTiming, even with Timing-Allow-Origin.
    if (engine === 'webkit') expect((await spanFor(allowed)).links).toEqual([]);
    else expect((await spanFor(allowed)).links[0]?.context).toMatchObject(serverOf(allowedBody.traceparent));
    const hiddenSpan = await spanFor(hidden);
    expect(hiddenSpan.links).toEqual([]);
    expect(hiddenSpan.attributes).not.toHaveProperty(ATTR_SERVER_TRACE_ID);
  });

  it('leaves a span alone when its response had no Server-Timing', async () => {
    const url = serverTimingUrl('');
    await fetchJson(url);
    const span = await spanFor(url);
    expect(span.links).toEqual([]);
    expect(Object.keys(span.attributes).filter((key) => key.startsWith('server_timing.'))).toEqual([]);
  });

  it('still links when the performance buffer was cleared before the span ended', async () => {
    const url = serverTimingUrl('traceparent;desc="{traceparent}"');
    const body = await fetchJson(url);
    performance.clearResourceTimings();
    expect(performance.getEntriesByName(url)).toEqual([]);
    expect((await spanFor(url)).links[0]?.context).toMatchObject(serverOf(body.traceparent));
  });

  it('rejects invalid options with a TypeError that says what to fix', () => {
    expect(() => new ServerTimingLinkProcessor({ metricAtributes: false } as never)).toThrow(
      /unknown option "metricAtributes"/,
    );
    expect(() => new ServerTimingLinkProcessor({ metricAttributes: 'no' } as never)).toThrow(TypeError);
    expect(() => new ServerTimingLinkProcessor(null as never)).toThrow(/options must be an object/);
  });
});
