import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createExposurePolicy, type PrivacyLevel } from '../src/exposure.js';
import { parseServerTiming } from '../src/parse.js';
import { ServerTimingHeaders } from '../src/server-timing-headers.js';
import { childSpan, createTracing, startRequest } from './sdk.js';

type Request = { staff?: boolean; path: string };

const T0 = Date.now();

/** Names and descriptions of one header, the trace context's value left out. */
function shape(header: string): string[] {
  return parseServerTiming(header).map(({ name, description }) =>
    name === 'traceparent' || name === 'total' ? name : `${name}:${description}`,
  );
}

describe('privacy levels', () => {
  afterEach(async () => {
    const { processor } = createTracing();
    await processor.shutdown();
  });

  const EXPECTED: Record<PrivacyLevel, string[] | undefined> = {
    full: ['postgresql:SELECT', 'app:mine', 'total', 'traceparent'],
    metrics: ['postgresql:', 'app:', 'total', 'traceparent'],
    trace: ['traceparent'],
    none: undefined,
  };

  it.each(Object.keys(EXPECTED) as PrivacyLevel[])('level %s writes what it promises', (level) => {
    const { tracer } = createTracing();
    const responder = new ServerTimingHeaders<Request>('t', { level });
    const { ctx } = startRequest(tracer);
    const query = tracer.startSpan(
      'SELECT',
      { startTime: T0, attributes: { 'db.system': 'postgresql' } },
      ctx,
    );
    query.end(T0 + 2);
    const exposure = responder.exposure({ path: '/' });
    if (EXPECTED[level] === undefined) {
      expect(exposure).toBeUndefined();
      return;
    }
    const header = responder.header(ctx, exposure!, [{ name: 'app', duration: 1, description: 'mine' }]);
    expect(shape(header)).toEqual(EXPECTED[level]);
    // The trace level has nothing to add later: no trailer.
    childSpan(tracer, ctx, 'late', T0 + 3, T0 + 4);
    if (level === 'trace') expect(responder.trailer(ctx, exposure!)).toBe('');
  });

  it('decides per request: staff see everything, the public only the trace context', () => {
    const { tracer } = createTracing();
    const responder = new ServerTimingHeaders<Request>('t', {
      level: (request) => (request.staff ? 'full' : 'trace'),
    });
    for (const staff of [true, false]) {
      const { ctx } = startRequest(tracer);
      childSpan(tracer, ctx, 'work', T0, T0 + 1);
      const header = responder.header(ctx, responder.exposure({ staff, path: '/' })!);
      expect(shape(header)).toEqual(staff ? ['work:work', 'total', 'traceparent'] : ['traceparent']);
    }
  });

  it('writes the trace level without a processor too', async () => {
    const { processor, tracer } = createTracing();
    await processor.shutdown();
    const responder = new ServerTimingHeaders<Request>('t', { level: 'trace' });
    const span = tracer.startSpan('server');
    const header = responder.header(trace.setSpan(ROOT_CONTEXT, span), responder.exposure({ path: '/' })!, [
      { name: 'app', duration: 1 },
    ]);
    expect(shape(header)).toEqual(['traceparent']);
  });

  it('combines with enabled and descriptions', () => {
    const policy = createExposurePolicy<Request>('t', {
      enabled: (request) => request.path !== '/off',
      level: (request) => (request.staff ? 'full' : 'metrics'),
      descriptions: (request) => request.path !== '/terse',
    });
    expect(policy({ path: '/off', staff: true })).toBeUndefined();
    expect(policy({ path: '/', staff: true })?.level).toBe('full');
    expect(policy({ path: '/terse', staff: true })).toMatchObject({ level: 'metrics', descriptions: false });
    expect(policy({ path: '/' })).toMatchObject({ level: 'metrics', descriptions: false });
    expect(createExposurePolicy('t', { descriptions: false })({})?.level).toBe('metrics');
    expect(createExposurePolicy('t', { enabled: false })({})).toBeUndefined();
  });

  it('treats a level function that throws or answers nonsense as none', () => {
    const throwing = createExposurePolicy<Request>('t', {
      level: () => {
        throw new Error('boom');
      },
    });
    expect(throwing({ path: '/' })).toBeUndefined();
    const nonsense = createExposurePolicy<Request>('t', { level: () => 'everything' as PrivacyLevel });
    expect(nonsense({ path: '/' })).toBeUndefined();
  });

  it.each([
    [{ level: 'loud' }, /option `level` must be one of 'full', 'metrics', 'trace', 'none'/],
    [{ enabled: false, level: 'trace' }, /`enabled: false` and `level: 'trace'` contradict/],
    [{ enabled: true, level: 'none' }, /`enabled: true` and `level: 'none'` contradict/],
    [{ descriptions: true, level: 'metrics' }, /`descriptions: true` asks for descriptions/],
    [{ descriptions: true, level: 'trace' }, /`descriptions: true` asks for descriptions/],
    [{ sharedCache: 'yes' }, /option `sharedCache` must be one of 'strip', 'strip-heuristic', 'keep'/],
  ])('rejects %o at construction', (options, message) => {
    expect(() => new ServerTimingHeaders('t', options as never)).toThrow(TypeError);
    expect(() => new ServerTimingHeaders('t', options as never)).toThrow(message);
  });
});
