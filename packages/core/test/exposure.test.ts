import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createExposurePolicy } from '../src/exposure.js';
import { ServerTimingHeaders } from '../src/server-timing-headers.js';
import { createTracing, startRequest } from './sdk.js';

type Request = { origin?: string; path: string };

describe('exposure policy', () => {
  it('is on by default, same-origin only, with the processor’s descriptions', () => {
    expect(createExposurePolicy<Request>('t', {})({ path: '/' })).toEqual({
      level: 'full',
      sharedCache: 'strip',
      descriptions: undefined,
      timingAllowOrigin: undefined,
      exposeHeader: false,
    });
  });

  it('decides per request and turns crossOrigin into Timing-Allow-Origin', () => {
    const policy = createExposurePolicy<Request>('t', {
      enabled: (request) => !request.path.startsWith('/admin'),
      crossOrigin: (request) => (request.origin === 'https://app.example' ? request.origin : undefined),
      descriptions: (request) => request.path !== '/public',
    });
    expect(policy({ path: '/admin/users' })).toBeUndefined();
    expect(policy({ path: '/public', origin: 'https://app.example' })).toEqual({
      level: 'metrics',
      sharedCache: 'strip',
      descriptions: false,
      timingAllowOrigin: 'https://app.example',
      exposeHeader: false,
    });
    expect(policy({ path: '/x', origin: 'https://evil.example' })?.timingAllowOrigin).toBeUndefined();
    expect(createExposurePolicy('t', { crossOrigin: true })({})?.timingAllowOrigin).toBe('*');
    expect(
      createExposurePolicy('t', { crossOrigin: ['https://a.example', 'http://localhost:3000'] })({})
        ?.timingAllowOrigin,
    ).toBe('https://a.example, http://localhost:3000');
  });

  it('treats a throwing function as "no" and a bad returned origin as none', () => {
    const policy = createExposurePolicy<Request>('t', {
      enabled: () => {
        throw new Error('boom');
      },
    });
    expect(policy({ path: '/' })).toBeUndefined();
    const badOrigin = createExposurePolicy<Request>('t', {
      crossOrigin: () => 'https://a.example\r\nSet-Cookie: x',
    });
    expect(badOrigin({ path: '/' })?.timingAllowOrigin).toBeUndefined();
  });
});

describe('ServerTimingHeaders', () => {
  afterEach(async () => {
    // Leave no processor registered for the next test.
    const { processor } = createTracing();
    await processor.shutdown();
  });

  it('builds the header through the registered processor, with the adapter’s overrides', () => {
    const { tracer } = createTracing();
    const responder = new ServerTimingHeaders<Request>('t', { traceContext: 'trace', descriptions: false });
    const { ctx } = startRequest(tracer);
    const exposure = responder.exposure({ path: '/' })!;
    const header = responder.header(ctx, exposure, [{ name: 'render', duration: 2, description: 'hidden' }]);
    expect(header).toMatch(/^render;dur=2, total;dur=[\d.]+, trace;desc=00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(responder.trailer(ctx, exposure)).toMatch(/^total;dur=[\d.]+$/);
  });

  it('without any processor still writes the trace context of the active span and manual metrics', async () => {
    const { processor, tracer } = createTracing();
    await processor.shutdown();
    const responder = new ServerTimingHeaders<Request>('t', {});
    const span = tracer.startSpan('server');
    const exposure = responder.exposure({ path: '/' })!;
    const header = responder.header(trace.setSpan(ROOT_CONTEXT, span), exposure, [
      { name: 'app', duration: 1 },
    ]);
    expect(header).toBe(
      `app;dur=1, traceparent;desc="00-${span.spanContext().traceId}-${span.spanContext().spanId}-01"`,
    );
    expect(responder.header(context.active(), exposure)).toBe('');
  });
});
