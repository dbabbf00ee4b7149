// The exact bytes of headers the builder writes (each entry appended to one value, see `appendEntry`): the
// entries, total and trace context, the budget folds and the downstream entries, written out in full so
// that any change of a byte fails.
import type { SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { DownstreamMetrics } from '../src/downstream/downstream-metrics.js';
import { formatTraceContext, toTraceparent } from '../src/header/trace-context.js';
import { MetricGroup } from '../src/metric-group.js';
import { builtHeader } from './built-header.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const CONTEXT: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 };
const TRACEPARENT = `traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-01"`;

/** A group of spans, each `[start, end]` in ms, all with `description`. */
function group(name: string, description: string | undefined, ...spans: [number, number][]): MetricGroup {
  const made = new MetricGroup(name, description, 'span', false);
  for (const [start, end] of spans) made.add(start, end, description, 'union');
  return made;
}

/** A request as the instrumentations describe it: a query run twice, a Redis read, an outgoing call. */
const request = () => [
  group('postgresql', 'pg.query:SELECT postgres', [100, 103.2221], [104, 105.5]),
  group('redis', 'redis-GET', [106, 106.417]),
  group('http', 'GET', [107, 119]),
];

describe('buildHeader', () => {
  it('writes a request header byte for byte', () => {
    expect(builtHeader({ groups: request(), total: 20.5, traceContext: CONTEXT })).toBe(
      'postgresql;dur=4.722;desc="2x pg.query:SELECT postgres", redis;dur=0.417;desc=redis-GET, ' +
        `http;dur=12;desc=GET, total;dur=20.5, ${TRACEPARENT}`,
    );
  });

  it('writes durations with no, one, two or three decimals and no trailing zeros', () => {
    const groups = [7, 7.1, 7.12, 7.123, 7.1204, 0.05, 0.007, 0.0004, 1000.5].map((duration, index) =>
      group(`m${index}`, undefined, [0, duration]),
    );
    expect(builtHeader({ groups, total: 0 })).toBe(
      'm0;dur=7, m1;dur=7.1, m2;dur=7.12, m3;dur=7.123, m4;dur=7.12, m5;dur=0.05, m6;dur=0.007, m7;dur=0, ' +
        'm8;dur=1000.5, total;dur=0',
    );
  });

  it('quotes and escapes descriptions that are not tokens, and leaves them out when told to', () => {
    const groups = [
      group('a', 'say "hi" \\o/', [0, 1]),
      group('b', 'token-like.desc', [0, 2]),
      group('c', 'caf\u00e9 \u65e5', [0, 3]),
      group('d', '', [0, 4]),
    ];
    expect(builtHeader({ groups })).toBe(
      'a;dur=1;desc="say \\"hi\\" \\\\o/", b;dur=2;desc=token-like.desc, c;dur=3;desc="cafe ?", d;dur=4',
    );
    expect(builtHeader({ groups, descriptions: false })).toBe('a;dur=1, b;dur=2, c;dur=3, d;dur=4');
  });

  it("writes the application's metrics after the span metrics, a duration that is not a number left out", () => {
    const metrics = [
      { name: 'app', duration: 1.5, description: 'mine' },
      { name: 'bad name!', duration: Number.NaN },
      { name: 'late' },
    ];
    expect(builtHeader({ groups: [group('redis', 'redis-GET', [0, 1])], metrics, total: 3 })).toBe(
      'redis;dur=1;desc=redis-GET, app;dur=1.5;desc=mine, bad_name!, late, total;dur=3',
    );
    expect(builtHeader({ metrics })).toBe('app;dur=1.5;desc=mine, bad_name!, late');
  });

  it('writes total and trace context alone, and the timestamp only beside a trace context', () => {
    expect(builtHeader({})).toBe('');
    expect(builtHeader({ total: 1.25 })).toBe('total;dur=1.25');
    expect(builtHeader({ traceContext: CONTEXT })).toBe(TRACEPARENT);
    expect(builtHeader({ traceContext: CONTEXT, timestamp: 1767225600123 })).toBe(
      `${TRACEPARENT}, timestamp;desc=1767225600123`,
    );
    // Invalid as the API judges: no trace context, nor its timestamp. Upper-case ids are valid, written as given.
    for (const invalid of [
      { traceId: '0'.repeat(32) },
      { spanId: '0'.repeat(16) },
      { spanId: `${SPAN_ID}0` },
    ]) {
      const traceContext = { ...CONTEXT, ...invalid };
      expect(builtHeader({ total: 2, traceContext, timestamp: 1767225600123 })).toBe('total;dur=2');
    }
    expect(builtHeader({ traceContext: { ...CONTEXT, traceId: TRACE_ID.toUpperCase() } })).toBe(
      `traceparent;desc="00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01"`,
    );
    expect(builtHeader({ total: 2, traceContext: CONTEXT, traceContextForm: 'none', timestamp: 1 })).toBe(
      'total;dur=2',
    );
  });

  it('writes each trace context form with its flags as two hex digits', () => {
    const expected = (flags: string) => ({
      traceparent: `traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-${flags}"`,
      trace: `trace;desc=00-${TRACE_ID}-${SPAN_ID}-${flags}`,
    });
    for (const [traceFlags, flags] of [
      [0, '00'],
      [1, '01'],
      [2, '02'],
      [3, '03'],
      [0x10, '10'],
      [0xff, 'ff'],
      [0x101, '01'],
    ] as const) {
      const traceContext = { ...CONTEXT, traceFlags };
      const { traceparent, trace } = expected(flags);
      expect(builtHeader({ total: 1, traceContext })).toBe(`total;dur=1, ${traceparent}`);
      expect(builtHeader({ total: 1, traceContext, traceContextForm: 'trace' })).toBe(
        `total;dur=1, ${trace}`,
      );
      expect(builtHeader({ traceContext, traceContextForm: 'both' })).toBe(`${traceparent}, ${trace}`);
      expect(formatTraceContext(traceContext, 'both')).toEqual([traceparent, trace]);
      expect(toTraceparent(traceContext)).toBe(`00-${TRACE_ID}-${SPAN_ID}-${flags}`);
    }
  });

  it('folds the shortest metrics into other when there are more than maxMetrics', () => {
    const groups = [...request(), group('render', 'render page', [120, 122.05])];
    expect(builtHeader({ groups, total: 20.5, traceContext: CONTEXT, maxMetrics: 2 })).toBe(
      'postgresql;dur=4.722;desc="2x pg.query:SELECT postgres", http;dur=12;desc=GET, ' +
        `other;dur=2.467;desc="2 more", total;dur=20.5, ${TRACEPARENT}`,
    );
  });

  it('folds into other when the value is over maxBytes, keeping total and the trace context', () => {
    const groups = request();
    const whole = builtHeader({ groups, total: 20.5, traceContext: CONTEXT });
    expect(builtHeader({ groups, total: 20.5, traceContext: CONTEXT, maxBytes: whole.length })).toBe(whole);
    expect(builtHeader({ groups, total: 20.5, traceContext: CONTEXT, maxBytes: whole.length - 1 })).toBe(
      // The longest that fit are kept, in header order: the query no longer does.
      'redis;dur=0.417;desc=redis-GET, http;dur=12;desc=GET, ' +
        `other;dur=4.722;desc="1 more", total;dur=20.5, ${TRACEPARENT}`,
    );
    expect(
      builtHeader({ groups, total: 20.5, traceContext: CONTEXT, maxBytes: 0, descriptions: false }),
    ).toBe(`other;dur=17.139, total;dur=20.5, ${TRACEPARENT}`);
  });

  it("appends downstream entries after the request's own, in the room left", () => {
    const downstream = new DownstreamMetrics();
    downstream.fold({
      header: 'db;dur=9.5;desc="SELECT x", total;dur=14.776',
      prefix: 'shipping',
      maxDepth: 2,
      startedAt: 1000,
      answeredAt: 1020,
      maxMetrics: 16,
      aggregation: 'union',
    });
    const groups = [group('redis', 'redis-GET', [0, 0.417])];
    expect(builtHeader({ groups, total: 30, traceContext: CONTEXT, downstream: downstream.take() })).toBe(
      `redis;dur=0.417;desc=redis-GET, total;dur=30, ${TRACEPARENT}, ` +
        'shipping.db;dur=9.5;desc="SELECT x", shipping.total;dur=14.776',
    );
  });
});
