import { context, DiagLogLevel, diag, ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerTiming } from '../src/parse.js';
import { readTraceContext } from '../src/read-trace-context.js';
import { RecordingSampler } from '../src/recording-sampler.js';
import { getServerTimingProcessor } from '../src/registry.js';
import { childSpan, createTracing, exportedRoot, startRequest } from './sdk.js';

const T0 = Date.now();

function metricsOf(header: string) {
  return Object.fromEntries(parseServerTiming(header).map((metric) => [metric.name, metric]));
}

afterEach(() => diag.disable());

describe('ServerTimingSpanProcessor', () => {
  it('turns the children of a server span, at any depth, into metrics named by semantic conventions', () => {
    const { processor, tracer, exporter } = createTracing();
    const { root, ctx } = startRequest(tracer);
    const middleware = tracer.startSpan(
      'middleware - auth',
      { startTime: T0, attributes: { 'express.type': 'middleware' } },
      ctx,
    );
    const inner = trace.setSpan(ctx, middleware);
    childSpan(
      tracer,
      inner,
      'SELECT users',
      T0 + 1,
      T0 + 11,
      { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' },
      SpanKind.CLIENT,
    );
    const deeper = trace.setSpan(inner, tracer.startSpan('cache lookup', { startTime: T0 + 11 }, inner));
    childSpan(tracer, deeper, 'GET', T0 + 12, T0 + 20, { 'http.request.method': 'GET' }, SpanKind.CLIENT);
    childSpan(
      tracer,
      deeper,
      'GET',
      T0 + 12,
      T0 + 14,
      { 'db.system': 'redis', 'db.statement': 'GET k' },
      SpanKind.CLIENT,
    );
    middleware.end(T0 + 25);

    const header = processor.header(ctx);
    root.end();
    const metrics = metricsOf(header);
    expect(metrics.postgresql).toEqual({ name: 'postgresql', duration: 10, description: 'SELECT users' });
    expect(metrics.http).toEqual({ name: 'http', duration: 8, description: 'GET' });
    expect(metrics.redis?.duration).toBe(2);
    // Own time: the middleware's 25 ms less the 10 + 8 + 2 ms of the metrics beneath it (durations are
    // added up, so the parallel call and cache read both count; see LayerTime).
    expect(metrics.middleware?.duration).toBe(5);
    expect(metrics.cache_lookup).toBeUndefined(); // still running when the header was built
    expect(metrics.total?.duration).toBeGreaterThanOrEqual(0);
    const server = exportedRoot(exporter)!;
    expect(metrics.traceparent?.description).toBe(
      `00-${server.spanContext().traceId}-${server.spanContext().spanId}-01`,
    );
  });

  it('writes the wall-clock union of parallel spans by default, and sum, max or count when asked', () => {
    const expected = { union: 15, sum: 20, max: 10, count: 2 } as const;
    for (const aggregation of ['union', 'sum', 'max', 'count'] as const) {
      const { processor, tracer } = createTracing({ aggregation });
      const { ctx } = startRequest(tracer);
      childSpan(tracer, ctx, 'q', T0, T0 + 10, { 'db.system.name': 'mysql', 'db.operation.name': 'SELECT' });
      childSpan(tracer, ctx, 'q', T0 + 5, T0 + 15, {
        'db.system.name': 'mysql',
        'db.operation.name': 'SELECT',
      });
      expect(metricsOf(processor.header(ctx)).mysql).toEqual({
        name: 'mysql',
        duration: expected[aggregation],
        description: '2x q',
      });
    }
  });

  it('counts repeated names once in the header, with the count in the description', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    for (let i = 0; i < 300; i++) {
      childSpan(tracer, ctx, i % 2 ? 'SELECT a' : 'SELECT b', T0 + i, T0 + i + 0.5, {
        'db.system.name': 'postgresql',
        'db.operation.name': 'SELECT',
      });
    }
    const metrics = parseServerTiming(processor.header(ctx));
    expect(metrics.map((metric) => metric.name)).toEqual(['postgresql', 'total', 'traceparent']);
    expect(metrics[0]).toEqual({ name: 'postgresql', duration: 150, description: '300 spans' });
  });

  it('groups by name past sixteen distinct metrics, and each header takes only what is new', () => {
    const { processor, tracer } = createTracing({ maxMetrics: 100, maxBytes: 65_536 });
    const { ctx } = startRequest(tracer);
    const names = Array.from({ length: 20 }, (_, index) => `step${index}`);
    // Two rounds: the second finds each name again, among the first 16 and past them.
    for (const round of [0, 1]) {
      for (const [index, name] of names.entries()) {
        childSpan(tracer, ctx, name, T0 + round * 100 + index, T0 + round * 100 + index + 2);
      }
    }
    const header = parseServerTiming(processor.header(ctx));
    expect(header.map((metric) => metric.name)).toEqual([...names, 'total', 'traceparent']);
    for (const metric of header.slice(0, 20)) expect(metric).toMatchObject({ duration: 4 });
    expect(header[0]?.description).toBe('2x step0');
    // Later ones, in order of start rather than of appearance, and only they.
    childSpan(tracer, ctx, 'step19', T0 + 301, T0 + 302);
    childSpan(tracer, ctx, 'step3', T0 + 300, T0 + 303);
    childSpan(tracer, ctx, 'step19', T0 + 304, T0 + 305);
    const trailer = parseServerTiming(processor.trailer(ctx));
    expect(trailer.map((metric) => [metric.name, metric.duration])).toEqual([
      ['step3', 3],
      ['step19', 2],
      ['total', expect.any(Number)],
    ]);
  });

  it('keeps spans that end after the root harmless and hands them to the trailer', () => {
    const { processor, tracer } = createTracing();
    const { root, ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'early', T0, T0 + 1);
    const header = processor.header(ctx);
    root.end();
    const late = tracer.startSpan('late', { startTime: T0 + 2 }, ctx);
    late.end(T0 + 7);
    expect(Object.keys(metricsOf(header))).toEqual(['early', 'total', 'traceparent']);
    const trailer = metricsOf(processor.trailer(ctx));
    expect(Object.keys(trailer)).toEqual(['late', 'total']);
    expect(trailer.late?.duration).toBe(5);
    expect(processor.trailer(ctx)).toMatch(/^total;dur=[\d.]+$/);
  });

  it('neither maps nor keeps the spans that end after a final header (no trailer can follow)', () => {
    const mapped: string[] = [];
    const { processor, tracer } = createTracing({
      mapSpan: (span) => {
        mapped.push(span.name);
        return undefined;
      },
    });
    const requests = [true, false].map((final) => {
      const { ctx } = startRequest(tracer);
      childSpan(tracer, ctx, `early-${final}`, T0, T0 + 1);
      processor.header(ctx, { final });
      childSpan(tracer, ctx, `late-${final}`, T0 + 2, T0 + 3);
      return { final, ctx };
    });
    expect(mapped).toEqual(['early-true', 'early-false', 'late-false']);
    const [afterFinal, afterOther] = requests.map(({ ctx }) =>
      Object.keys(metricsOf(processor.trailer(ctx))),
    );
    expect(afterFinal).toEqual(['total']);
    expect(afterOther).toEqual(['late-false', 'total']);
  });

  it('drops what it holds for a skipped request and records nothing more of it', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'before', T0, T0 + 1);
    processor.skip(ctx);
    childSpan(tracer, ctx, 'after', T0 + 2, T0 + 3);
    expect(Object.keys(metricsOf(processor.header(ctx)))).toEqual(['total', 'traceparent']);
    expect(() => processor.skip(undefined)).not.toThrow();
    expect(() => processor.skip(ROOT_CONTEXT)).not.toThrow();
  });

  it('treats a span with a remote parent as the local root and reports its own span id', () => {
    const { processor, tracer } = createTracing();
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const { root, ctx } = startRequest(tracer, remote);
    childSpan(tracer, ctx, 'work', T0, T0 + 3);
    const traceContext = readTraceContext(parseServerTiming(processor.header(ctx)));
    expect(traceContext).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: root.spanContext().spanId,
      traceFlags: 1,
      sampled: true,
    });
    expect(metricsOf(processor.header(ctx)).work).toBeUndefined(); // drained by the first call
  });

  it('gives requests the sampler dropped their trace context with flags 00', () => {
    const { processor, tracer, exporter } = createTracing({}, new AlwaysOffSampler());
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'work', T0, T0 + 3);
    const metrics = parseServerTiming(processor.header(ctx));
    expect(metrics).toHaveLength(1);
    expect(metrics[0]?.description).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('gives dropped requests metrics too under RecordingSampler, still without exporting them', () => {
    const sampler = new RecordingSampler(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }));
    const { processor, tracer, exporter } = createTracing({}, sampler);
    const { root, ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'work', T0, T0 + 3);
    const metrics = metricsOf(processor.header(ctx));
    root.end();
    expect(metrics.work?.duration).toBe(3);
    expect(metrics.traceparent?.description).toMatch(/-00$/);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('opens no record for local roots that are not server spans, unless isRequestRoot says so', () => {
    const plain = createTracing();
    const job = plain.tracer.startSpan('cron job', { kind: SpanKind.INTERNAL });
    const jobContext = trace.setSpan(ROOT_CONTEXT, job);
    childSpan(plain.tracer, jobContext, 'work', T0, T0 + 1);
    expect(parseServerTiming(plain.processor.header(jobContext)).map((metric) => metric.name)).toEqual([
      'traceparent',
    ]);

    const custom = createTracing({ isRequestRoot: (span) => span.kind === SpanKind.CONSUMER });
    const message = custom.tracer.startSpan('process', { kind: SpanKind.CONSUMER });
    const messageContext = trace.setSpan(ROOT_CONTEXT, message);
    childSpan(custom.tracer, messageContext, 'work', T0, T0 + 1);
    expect(metricsOf(custom.processor.header(messageContext)).work?.duration).toBe(1);
  });

  it('leaves out spans that restate the whole request', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'GET /inner', T0, T0 + 9, {}, SpanKind.SERVER);
    childSpan(tracer, ctx, 'request', T0, T0 + 9, { 'fastify.root': '@fastify/otel' });
    childSpan(tracer, ctx, 'handler', T0 + 1, T0 + 2, { 'fastify.type': 'request-handler' });
    const names = parseServerTiming(processor.header(ctx)).map((metric) => metric.name);
    expect(names).toEqual(['handler', 'total', 'traceparent']);
  });

  it('maps HTTP calls made as INTERNAL spans with a URL to http, described by the method alone', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    const url = 'https://api.example/users?token=secret';
    childSpan(tracer, ctx, `GET ${url}`, T0, T0 + 4, { 'http.request.method': 'GET', 'url.full': url });
    expect(metricsOf(processor.header(ctx)).http).toEqual({ name: 'http', duration: 4, description: 'GET' });
  });

  it('never lets one request see another request’s spans', () => {
    const { processor, tracer } = createTracing();
    const requests = Array.from({ length: 50 }, (_, i) => ({ i, ...startRequest(tracer) }));
    for (const { i, ctx } of requests) childSpan(tracer, ctx, `work-${i}`, T0, T0 + i);
    for (const { i, ctx, root } of requests) {
      const metrics = metricsOf(processor.header(ctx));
      expect(Object.keys(metrics)).toEqual([`work-${i}`, 'total', 'traceparent']);
      expect(metrics.traceparent?.description).toContain(root.spanContext().spanId);
    }
  });

  it('finds the request from any span of it, and from a context', () => {
    const { processor, tracer } = createTracing();
    const { root, ctx } = startRequest(tracer);
    const child = tracer.startSpan('child', {}, ctx);
    childSpan(tracer, ctx, 'done', T0, T0 + 1);
    const viaChild = processor.header(child);
    expect(metricsOf(viaChild).traceparent?.description).toContain(root.spanContext().spanId);
    expect(metricsOf(viaChild).done).toBeDefined();
    expect(processor.header(undefined)).toBe('');
    expect(processor.header(ROOT_CONTEXT)).toBe('');
    expect(processor.header(context.active())).toBe('');
  });

  it('writes the trace context in the form asked for', () => {
    const forms = {
      traceparent: ['traceparent'],
      trace: ['trace'],
      both: ['traceparent', 'trace'],
      none: [],
    } as const;
    for (const [form, names] of Object.entries(forms)) {
      const { processor, tracer } = createTracing({ traceContext: form as keyof typeof forms, total: false });
      const { ctx } = startRequest(tracer);
      const header = processor.header(ctx);
      expect(parseServerTiming(header).map((metric) => metric.name)).toEqual(names);
      if (form === 'trace') expect(header).toMatch(/^trace;desc=00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      if (form === 'traceparent')
        expect(header).toMatch(/^traceparent;desc="00-[0-9a-f]{32}-[0-9a-f]{16}-01"$/);
    }
  });

  it('takes a user mapping, filter and description switch, and per-call overrides', () => {
    const { processor, tracer } = createTracing({
      mapSpan: (span) =>
        span.name === 'skip'
          ? null
          : span.name === 'custom'
            ? { name: 'my metric', description: 'mine' }
            : undefined,
      filter: (span) => span.name !== 'filtered',
    });
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'skip', T0, T0 + 1);
    childSpan(tracer, ctx, 'filtered', T0, T0 + 1);
    childSpan(tracer, ctx, 'custom', T0, T0 + 2);
    childSpan(tracer, ctx, 'SELECT 1', T0, T0 + 3, {
      'db.system.name': 'sqlite',
      'db.operation.name': 'SELECT',
    });
    const header = processor.header(ctx, {
      descriptions: false,
      traceContext: 'none',
      metrics: [{ name: 'cache', duration: 1.5 }],
    });
    expect(header).toMatch(/^my_metric;dur=2, sqlite;dur=3, cache;dur=1.5, total;dur=[\d.]+$/);
  });

  it('survives hostile span names and hooks that throw', () => {
    const errors: unknown[] = [];
    diag.setLogger(
      { error: (...args: unknown[]) => errors.push(args), warn() {}, info() {}, debug() {}, verbose() {} },
      DiagLogLevel.ERROR,
    );
    const { processor, tracer } = createTracing({
      mapSpan: (span) => {
        if (span.name === 'boom') throw new Error('boom');
        return undefined;
      },
    });
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'boom', T0, T0 + 1);
    childSpan(tracer, ctx, 'a\r\nSet-Cookie: x=1', T0, T0 + 1);
    childSpan(tracer, ctx, 'traceparent', T0, T0 + 1);
    childSpan(tracer, ctx, '"; dur=999, fake;desc="x', T0, T0 + 1);
    childSpan(tracer, ctx, 'Grüße 日本 🎉', T0, T0 + 1);
    const header = processor.header(ctx);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const names = parseServerTiming(header).map((metric) => metric.name);
    expect(names.filter((name) => name === 'traceparent')).toHaveLength(1);
    expect(names).not.toContain('fake');
    expect(names).toContain('traceparent_');
    expect(errors).toHaveLength(1);
  });

  it('keeps the longest metrics within the byte budget and folds the rest into other', () => {
    const { processor, tracer } = createTracing({ maxBytes: 400, maxMetrics: 5 });
    const { ctx } = startRequest(tracer);
    for (let i = 1; i <= 40; i++) childSpan(tracer, ctx, `step-${i}`, T0 + i, T0 + i + i / 10);
    const header = processor.header(ctx);
    expect(header.length).toBeLessThanOrEqual(400);
    const metrics = parseServerTiming(header);
    const names = metrics.map((metric) => metric.name);
    expect(names).toEqual([
      'step-36',
      'step-37',
      'step-38',
      'step-39',
      'step-40',
      'other',
      'total',
      'traceparent',
    ]);
    expect(metrics.find((metric) => metric.name === 'other')?.description).toBe('35 more');

    const tight = createTracing({ maxBytes: 256 });
    const request = startRequest(tight.tracer);
    for (let i = 1; i <= 40; i++)
      childSpan(tight.tracer, request.ctx, `a-rather-long-span-name-${i}`, T0 + i, T0 + i + i);
    const tightHeader = tight.processor.header(request.ctx);
    expect(tightHeader.length).toBeLessThanOrEqual(256);
    expect(
      parseServerTiming(tightHeader)
        .slice(-3)
        .map((metric) => metric.name),
    ).toEqual(['other', 'total', 'traceparent']);
  });

  it('folds parallel spans into other without double-counting them', () => {
    const { processor, tracer } = createTracing({ maxMetrics: 0, traceContext: 'none', total: false });
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'a', T0, T0 + 10);
    childSpan(tracer, ctx, 'b', T0 + 5, T0 + 15);
    childSpan(tracer, ctx, 'c', T0 + 20, T0 + 21);
    expect(processor.header(ctx)).toBe('other;dur=16;desc="3 more"');
  });

  it('handles ten thousand children in one request', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    for (let i = 0; i < 10_000; i++) childSpan(tracer, ctx, `n${i % 100}`, T0 + i * 2, T0 + i * 2 + 1);
    const header = processor.header(ctx);
    expect(header.length).toBeLessThanOrEqual(1024);
    const metrics = parseServerTiming(header);
    expect(metrics.filter((metric) => metric.name.startsWith('n'))).toHaveLength(16);
    const counted = metrics
      .filter((metric) => metric.name.startsWith('n'))
      .reduce((sum, metric) => sum + metric.duration, 0);
    expect(counted + metrics.find((metric) => metric.name === 'other')!.duration).toBe(10_000);
  });

  it('is found by adapters through the registry until it shuts down', async () => {
    const first = createTracing().processor;
    const second = createTracing().processor;
    expect(getServerTimingProcessor()).toBe(second);
    await first.shutdown();
    expect(getServerTimingProcessor()).toBe(second);
    await second.shutdown();
    expect(getServerTimingProcessor()).toBeUndefined();
  });

  it('registers under a versioned global key, which copies of another version do not share', async () => {
    const globals = globalThis as Record<symbol, unknown>;
    const processor = createTracing().processor;
    // What any copy of the same version (the ESM and the CommonJS build) looks up.
    expect(globals[Symbol.for('@otel-server-timing/core.processor/v1')]).toBe(processor);
    // A processor of a 0.1.0 copy, under the key without a version, is not this copy's.
    const unversioned = Symbol.for('@otel-server-timing/core.processor');
    globals[unversioned] = { header: () => 'older' };
    try {
      expect(getServerTimingProcessor()).toBe(processor);
      await processor.shutdown();
      expect(getServerTimingProcessor()).toBeUndefined();
    } finally {
      delete globals[unversioned];
    }
  });
});
