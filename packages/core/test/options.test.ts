import { describe, expect, it } from 'vitest';
import { ServerTimingSpanProcessor } from '../src/processor.js';
import { RecordingSampler } from '../src/recording-sampler.js';
import { ServerTimingHeaders } from '../src/server-timing-headers.js';

describe('option validation', () => {
  it('rejects invalid processor options with a TypeError that says what to fix', () => {
    const cases: [unknown, RegExp][] = [
      ['fast', /options must be an object or undefined; got "fast"/],
      [{ maxBytes: 10 }, /`maxBytes` must be an integer from 256 to 65536; got 10/],
      [{ maxMetrics: 2.5 }, /`maxMetrics` must be an integer from 0 to 1000; got 2.5/],
      [{ aggregation: 'avg' }, /`aggregation` must be one of 'union', 'sum', 'max', 'count'; got "avg"/],
      [
        { traceContext: 'b3' },
        /`traceContext` must be one of 'traceparent', 'trace', 'both', 'none'; got "b3"/,
      ],
      [{ descriptions: 'no' }, /`descriptions` must be a boolean; got "no"/],
      [{ selfTime: 'yes' }, /`selfTime` must be a boolean; got "yes"/],
      [{ mapSpan: 'db' }, /`mapSpan` must be a function; got "db"/],
      [{ maxbytes: 2048 }, /unknown option `maxbytes`. Known options: .*maxBytes/],
    ];
    for (const [options, message] of cases) {
      expect(() => new ServerTimingSpanProcessor(options as never)).toThrow(TypeError);
      expect(() => new ServerTimingSpanProcessor(options as never)).toThrow(message);
    }
  });

  it('rejects invalid adapter options, naming the adapter', () => {
    const cases: [unknown, RegExp][] = [
      [
        { enabled: 'yes' },
        /^my-adapter: option `enabled` must be a boolean or a function of the request; got "yes"/,
      ],
      [{ crossOrigin: 'example.com' }, /option `crossOrigin` must be .*scheme and host.*; got "example.com"/],
      [{ crossOrigin: ['https://a.example', 'https://b.example/path'] }, /option `crossOrigin`/],
      [{ exposeHeader: 1 }, /option `exposeHeader` must be a boolean; got 1/],
      [{ processor: {} }, /option `processor` must be a ServerTimingSpanProcessor/],
      [{ trailer: true }, /unknown option `trailer`/],
    ];
    for (const [options, message] of cases) {
      expect(() => new ServerTimingHeaders('my-adapter', options as never)).toThrow(message);
    }
    expect(
      () => new ServerTimingHeaders('my-adapter', { trailers: true } as never, ['trailers']),
    ).not.toThrow();
  });

  it('rejects a RecordingSampler without a sampler to wrap', () => {
    expect(() => new RecordingSampler(undefined as never)).toThrow(/pass the sampler to wrap/);
  });
});
