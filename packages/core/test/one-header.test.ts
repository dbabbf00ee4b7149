import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../src/parse.js';
import { ServerTimingHeaders } from '../src/server-timing-headers.js';
import { childSpan, createTracing, startRequest } from './sdk.js';

const T0 = Date.now();

const namesOf = (header: string) => parseServerTiming(header).map((metric) => metric.name);

describe('one total and one trace context per request, however many writers ask', () => {
  it('gives later headers of the same request only what finished since and their own metrics', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, 'SELECT', T0, T0 + 2, { 'db.system.name': 'postgresql' });
    const first = processor.header(ctx, { metrics: [{ name: 'first', duration: 1 }] });
    expect(namesOf(first)).toEqual(['postgresql', 'first', 'total', 'traceparent']);
    childSpan(tracer, ctx, 'GET', T0 + 2, T0 + 3, { 'db.system.name': 'redis' });
    // Another writer of the same response, asking through another span of the request.
    const child = tracer.startSpan('child', {}, ctx);
    const second = processor.header(child, { metrics: [{ name: 'second', duration: 1 }] });
    expect(namesOf(second)).toEqual(['redis', 'second']);
    expect(processor.header(ctx)).toBe('');
  });

  it('keeps the trailer’s final total', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    expect(namesOf(processor.header(ctx))).toEqual(['total', 'traceparent']);
    childSpan(tracer, ctx, 'SELECT', T0, T0 + 2, { 'db.system.name': 'postgresql' });
    expect(namesOf(processor.trailer(ctx))).toEqual(['postgresql', 'total']);
  });

  it('gives a request without a record (not sampled) its trace context once', () => {
    const { processor, tracer } = createTracing({}, new AlwaysOffSampler());
    const { ctx } = startRequest(tracer);
    expect(namesOf(processor.header(ctx))).toEqual(['traceparent']);
    expect(processor.header(ctx, { metrics: [{ name: 'app' }] })).toBe('app');
    // Another request is not affected.
    expect(namesOf(processor.header(startRequest(tracer).ctx))).toEqual(['traceparent']);
  });

  it('gives the trace context once without any processor too', () => {
    const responder = new ServerTimingHeaders<null>('test', { processor: undefined });
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    const ctx = trace.setSpan(ROOT_CONTEXT, span);
    const exposure = responder.exposure(null);
    if (exposure === undefined) throw new Error('exposed by default');
    expect(namesOf(responder.header(ctx, exposure))).toEqual(['traceparent']);
    expect(responder.header(ctx, exposure, [{ name: 'app' }])).toBe('app');
    expect(responder.header(context.active(), exposure)).toBe('');
  });
});
