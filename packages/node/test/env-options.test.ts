import { describe, expect, it } from 'vitest';
import { NodeServerTiming, serverTimingOptionsFromEnv } from '../src/index.js';

describe('serverTimingOptionsFromEnv', () => {
  it('gives the defaults when nothing is set, and treats empty values as unset', () => {
    expect(serverTimingOptionsFromEnv({})).toEqual({ enabled: true, options: {}, processorOptions: {} });
    expect(serverTimingOptionsFromEnv({ OTEL_SERVER_TIMING_TRAILERS: ' ' }).options).toEqual({});
  });

  it('reads the downstream origins (each optionally prefix=origin) and depth', () => {
    const { processorOptions } = serverTimingOptionsFromEnv({
      OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS: 'https://shipping.internal, pricing = http://10.0.0.7:8080,',
      OTEL_SERVER_TIMING_DOWNSTREAM_MAX_DEPTH: '3',
    });
    expect(processorOptions.downstream).toEqual([
      'https://shipping.internal',
      { prefix: 'pricing', origin: 'http://10.0.0.7:8080' },
    ]);
    expect(processorOptions.downstreamMaxDepth).toBe(3);
    expect(() =>
      serverTimingOptionsFromEnv({
        OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS: 'x',
        OTEL_SERVER_TIMING_DOWNSTREAM_MAX_DEPTH: 'deep',
      }),
    ).toThrow('OTEL_SERVER_TIMING_DOWNSTREAM_MAX_DEPTH must be a whole number');
  });

  it('reads every variable', () => {
    const settings = serverTimingOptionsFromEnv({
      OTEL_SERVER_TIMING_ENABLED: 'FALSE',
      OTEL_SERVER_TIMING_CROSS_ORIGIN: 'https://a.example, https://b.example',
      OTEL_SERVER_TIMING_EXPOSE_HEADER: 'true',
      OTEL_SERVER_TIMING_TRAILERS: 'True',
      OTEL_SERVER_TIMING_DESCRIPTIONS: 'false',
      OTEL_SERVER_TIMING_TRACE_CONTEXT: 'both',
      OTEL_SERVER_TIMING_MAX_BYTES: '2048',
      OTEL_SERVER_TIMING_MAX_METRICS: '8',
      OTEL_SERVER_TIMING_AGGREGATION: 'sum',
      OTEL_SERVER_TIMING_TOTAL: 'false',
    });
    expect(settings).toEqual({
      enabled: false,
      options: {
        crossOrigin: ['https://a.example', 'https://b.example'],
        exposeHeader: true,
        trailers: true,
      },
      processorOptions: {
        descriptions: false,
        traceContext: 'both',
        maxBytes: 2048,
        maxMetrics: 8,
        aggregation: 'sum',
        total: false,
      },
    });
    expect(() => new NodeServerTiming(settings.options)).not.toThrow();
  });

  it.each([
    ['*', true],
    ['true', true],
    ['false', false],
  ])('reads OTEL_SERVER_TIMING_CROSS_ORIGIN=%s', (value, expected) => {
    expect(serverTimingOptionsFromEnv({ OTEL_SERVER_TIMING_CROSS_ORIGIN: value }).options.crossOrigin).toBe(
      expected,
    );
  });

  it.each([
    ['OTEL_SERVER_TIMING_ENABLED', 'yes', /OTEL_SERVER_TIMING_ENABLED must be `true` or `false`; got "yes"/],
    ['OTEL_SERVER_TIMING_MAX_BYTES', '1k', /OTEL_SERVER_TIMING_MAX_BYTES must be a whole number/],
    ['OTEL_SERVER_TIMING_TRACE_CONTEXT', 'w3c', /one of traceparent, trace, both, none/],
  ])('throws a TypeError naming %s for %j', (name, value, message) => {
    expect(() => serverTimingOptionsFromEnv({ [name]: value })).toThrow(message);
  });
});
