import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { claimHeader } from '../src/header-claim.js';
import { isOwnWork, markOwnWork } from '../src/own-work.js';
import { parseServerTiming } from '../src/parse.js';
import { ServerTimingSpanProcessor } from '../src/processor.js';

/** A processor of some other SDK that makes every span non-extensible before ours sees it. */
const sealing: SpanProcessor = {
  onStart: (span) => {
    Object.preventExtensions(span);
  },
  onEnd: () => {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

describe('spans that cannot take a property', () => {
  it('are linked to their request all the same (the write fails, a WeakMap holds the link)', () => {
    const processor = new ServerTimingSpanProcessor();
    const tracer = new BasicTracerProvider({ spanProcessors: [sealing, processor] }).getTracer('test');
    const root = tracer.startSpan('GET /', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    expect(Object.isExtensible(root)).toBe(false);
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    const handler = tracer.startSpan('handler', { attributes: { 'express.type': 'request_handler' } }, ctx);
    tracer
      .startSpan(
        'SELECT users',
        { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
        trace.setSpan(ctx, handler),
      )
      .end();
    handler.end();
    const names = parseServerTiming(processor.header(ctx)).map((metric) => metric.name);
    names.sort();
    root.end();
    expect(names).toEqual(['handler', 'postgresql', 'total', 'traceparent']);
    void processor.shutdown();
  });

  it('are marked all the same', () => {
    const tracer = new BasicTracerProvider({ spanProcessors: [sealing] }).getTracer('test');
    const span = tracer.startSpan('middleware');
    expect(isOwnWork(span)).toBe(false);
    markOwnWork(span);
    expect(isOwnWork(span)).toBe(true);
    expect(claimHeader(span)).toBe(true);
    expect(claimHeader(span)).toBe(false);
  });
});
