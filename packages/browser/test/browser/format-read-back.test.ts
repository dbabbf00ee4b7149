// What formatServerTiming writes, served as a real header and read back from `serverTiming` by the engine
// this suite runs in. The engines parse malformed headers differently (Firefox skips empty list elements,
// does not take `{`/`}` as token characters, reads an overflowing `dur` as 0, decodes bytes above 0x7F as
// UTF-8), so the formatter must never write anything that leans on those rules: each engine must read
// exactly what core's parser (Chromium's rules) reads, one metric per metric written.
import { formatServerTiming, parseServerTiming, type ServerTimingMetric } from '@otel-server-timing/core';
import { describe, expect, it } from 'vitest';
import { engine, fetchJson, serverTimingUrl } from './helpers.js';

const LONG = 'x'.repeat(5000);

/** Each group becomes one header, so a metric that broke parsing would also lose the ones after it. */
const HOSTILE: Record<string, ServerTimingMetric[]> = {
  names: [
    { name: 'db query', duration: 1 },
    { name: 'a"b\\c', duration: 2 },
    { name: 'line\r\nSet-Cookie: x=1', duration: 3 },
    { name: 'semi;colon,comma=equals', duration: 4 },
    { name: '{braces}', duration: 5 },
    { name: 'ünïcödé', duration: 6 },
    { name: '数据库', duration: 7 },
    { name: '😀 emoji', duration: 8 },
    { name: '', duration: 9 },
    { name: '\u0000\u0007\u007f', duration: 10 },
    { name: LONG, duration: 11 },
    { name: 'traceparent', description: 'not-a-trace' },
  ],
  durations: [
    { name: 'nan', duration: Number.NaN },
    { name: 'infinity', duration: Number.POSITIVE_INFINITY },
    { name: 'negative', duration: -12.5 },
    { name: 'negative_zero', duration: -0 },
    { name: 'huge', duration: 1e300 },
    { name: 'max', duration: Number.MAX_VALUE },
    { name: 'tiny', duration: 5e-324 },
    { name: 'just_over_cap', duration: 1e12 + 1 },
    { name: 'many_decimals', duration: 123.456789 },
    { name: 'rounding', duration: 0.0005 },
  ],
  descriptions: [
    { name: 'quotes', description: 'say "hi"' },
    { name: 'backslashes', description: 'C:\\path\\' },
    { name: 'escaped_quote', description: '\\"' },
    { name: 'crlf', description: 'one\r\ntwo\nthree\rfour' },
    { name: 'header_injection', description: 'x\r\nServer-Timing: injected;dur=1' },
    { name: 'separators', description: 'a;b,c=d' },
    { name: 'braces', description: '{}' },
    { name: 'accents', description: 'Café crème' },
    { name: 'cjk', description: '数据库查询' },
    { name: 'emoji', description: 'fast 🚀' },
    { name: 'controls', description: '\u0000\t\u001b[31m' },
    { name: 'long', description: LONG },
    { name: 'token', description: 'plain-token' },
  ],
};

describe(`formatServerTiming read back by ${engine}`, () => {
  it.each(Object.entries(HOSTILE))(
    'hostile %s read as written, one metric per metric',
    async (_, metrics) => {
      const header = formatServerTiming(metrics);
      expect(header, 'a header value of printable ASCII only').toMatch(/^[\x20-\x7e]+$/);
      const url = serverTimingUrl(header);
      await fetchJson(url);
      const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
      const read = entry!.serverTiming.map(({ name, duration, description }) => ({
        name,
        duration,
        description,
      }));
      expect(read).toHaveLength(metrics.length);
      expect(read).toEqual(parseServerTiming(header));
    },
  );

  it('reads the intended values, not just the same ones', async () => {
    const metrics = [...HOSTILE.durations!, ...HOSTILE.descriptions!];
    const url = serverTimingUrl(formatServerTiming(metrics));
    await fetchJson(url);
    const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
    const byName = new Map(entry!.serverTiming.map((metric) => [metric.name, metric]));
    expect(byName.get('nan')?.duration).toBe(0);
    expect(byName.get('negative')?.duration).toBe(0);
    expect(byName.get('huge')?.duration).toBe(1e12);
    expect(byName.get('max')?.duration).toBe(1e12);
    expect(byName.get('many_decimals')?.duration).toBe(123.457);
    expect(byName.get('quotes')?.description).toBe('say "hi"');
    expect(byName.get('backslashes')?.description).toBe('C:\\path\\');
    expect(byName.get('escaped_quote')?.description).toBe('\\"');
    expect(byName.get('header_injection')?.description).toBe('x??Server-Timing: injected;dur=1');
    expect(byName.has('injected')).toBe(false);
    expect(byName.get('accents')?.description).toBe('Cafe creme');
    expect(byName.get('long')?.description).toBe('x'.repeat(100));
    expect(byName.get('token')?.description).toBe('plain-token');
  });
});

describe(`headers formatServerTiming never writes, as ${engine} reads them`, () => {
  /** What each engine reads; `null` stands for an Infinity duration. Observed in Chromium 156, Firefox 153, WebKitGTK 2.50. */
  const MALFORMED: { header: string; reads: Record<typeof engine, [string, number | null, string][]> }[] = [
    {
      // An empty list element ends the parse in Chromium and WebKit; Firefox skips it.
      header: 'a;dur=1, , b;dur=2',
      reads: {
        chromium: [['a', 1, '']],
        firefox: [
          ['a', 1, ''],
          ['b', 2, ''],
        ],
        webkit: [['a', 1, '']],
      },
    },
    {
      // `{` and `}` are no token characters: Chromium takes them anyway, Firefox resynchronises oddly,
      // WebKit drops the whole header.
      header: '{x};dur=1, b;dur=2',
      reads: {
        chromium: [
          ['{x}', 1, ''],
          ['b', 2, ''],
        ],
        firefox: [
          ['dur', 0, ''],
          ['b', 2, ''],
        ],
        webkit: [],
      },
    },
    {
      // A duration too large for a double: Infinity in Chromium and WebKit, 0 in Firefox.
      header: 'a;dur=1e400',
      reads: { chromium: [['a', null, '']], firefox: [['a', 0, '']], webkit: [['a', null, '']] },
    },
    {
      // Bytes above 0x7F (the test server sends UTF-8): Firefox decodes UTF-8, the others Latin-1.
      header: 'a;desc="café"',
      reads: { chromium: [['a', 0, 'cafÃ©']], firefox: [['a', 0, 'café']], webkit: [['a', 0, 'cafÃ©']] },
    },
  ];

  it.each(MALFORMED)('$header', async ({ header, reads }) => {
    const url = serverTimingUrl(header);
    await fetchJson(url);
    const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
    const read = entry!.serverTiming.map(({ name, duration, description }) => [
      name,
      Number.isFinite(duration) ? duration : null,
      description,
    ]);
    expect(read).toEqual(reads[engine]);
  });
});
