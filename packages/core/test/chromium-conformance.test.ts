import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatServerTiming } from '../src/header/format.js';
import { formatTraceContext } from '../src/header/trace-context.js';
import { parseServerTiming } from '../src/parse.js';
import type { ParsedServerTimingMetric } from '../src/types.js';

type HeaderValue = string | string[];

/** `test/fixtures/chromium-server-timing.json`, written by `scripts/record-chromium-conformance.mjs`. */
type Fixture = {
  chromiumVersion: string;
  cases: {
    header: HeaderValue;
    expected: (Omit<ParsedServerTimingMetric, 'duration'> & { duration: number | string })[];
  }[];
};

/** What this test uses from the recording script (plain JavaScript, so typed here). */
type Recorder = {
  defaultChromiumPath(): string;
  decodeDuration(duration: number | string): number;
  recordServerTiming(
    headers: readonly HeaderValue[],
    executablePath: string,
  ): Promise<{ chromiumVersion: string; results: ParsedServerTimingMetric[][] }>;
};

const recorderUrl = new URL('../scripts/record-chromium-conformance.mjs', import.meta.url).href;
const recorder: Recorder = await import(recorderUrl);
const fixture: Fixture = JSON.parse(
  readFileSync(new URL('./fixtures/chromium-server-timing.json', import.meta.url), 'utf8'),
);

/** A fixture case's expectation with durations as numbers (-0 and ±Infinity are stored as strings). */
function expectedMetrics(expected: Fixture['cases'][number]['expected']): ParsedServerTimingMetric[] {
  return expected.map((metric) => ({ ...metric, duration: recorder.decodeDuration(metric.duration) }));
}

describe(`parseServerTiming against Chromium ${fixture.chromiumVersion}`, () => {
  it('covers enough cases to mean something', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(fixture.cases.map((testCase) => [JSON.stringify(testCase.header), testCase] as const))(
    '%s',
    (_, { header, expected }) => {
      expect(parseServerTiming(header)).toEqual(expectedMetrics(expected));
    },
  );
});

describe('what our serializers write, as Chromium reads it', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const spanId = 'b7ad6b7169203331';
  const traceparent = `00-${traceId}-${spanId}-01`;
  /** Headers written from tricky input, each one of the recorded cases, and what they are meant to say. */
  const written: { header: string; write: () => string; means: ParsedServerTimingMetric[] }[] = [
    {
      header:
        'db_query;dur=12.346;desc="SELECT \\"users\\" \\\\ path", cache_hit;dur=0, span;desc="unicode ? ??", a_b_c;desc="tab?here"',
      write: () =>
        formatServerTiming([
          { name: 'db query', duration: 12.3456, description: 'SELECT "users" \\ path' },
          { name: 'cache;hit', duration: -5 },
          { name: '', description: '\u00fcn\u00efc\u00f6d\u00e9 \u2713 \ud83d\ude00' },
          { name: 'a,b=c', duration: Number.NaN, description: 'tab\there' },
        ]),
      means: [
        { name: 'db_query', duration: 12.346, description: 'SELECT "users" \\ path' },
        { name: 'cache_hit', duration: 0, description: '' },
        { name: 'span', duration: 0, description: 'unicode ? ??' },
        { name: 'a_b_c', duration: 0, description: 'tab?here' },
      ],
    },
    {
      header: 'total;dur=1000000000000, tiny;dur=0.001, none;desc="", token;desc=atl',
      write: () =>
        formatServerTiming([
          { name: 'total', duration: 1e300 },
          { name: 'tiny', duration: 0.0005 },
          { name: 'none', description: '\u0301' },
          { name: 'token', description: 'atl' },
        ]),
      means: [
        { name: 'total', duration: 1e12, description: '' },
        { name: 'tiny', duration: 0.001, description: '' },
        { name: 'none', duration: 0, description: '' },
        { name: 'token', duration: 0, description: 'atl' },
      ],
    },
    {
      header: `traceparent;desc="${traceparent}", trace;desc=${traceparent}`,
      write: () => formatTraceContext({ traceId, spanId, traceFlags: 1 }, 'both').join(', '),
      means: [
        { name: 'traceparent', duration: 0, description: traceparent },
        { name: 'trace', duration: 0, description: traceparent },
      ],
    },
  ];

  it.each(written)('$header', ({ header, write, means }) => {
    expect(write()).toBe(header);
    const recorded = fixture.cases.find((testCase) => testCase.header === header);
    expect(recorded, 'not in the fixture: add it to scripts/record-chromium-conformance.mjs').toBeDefined();
    expect(expectedMetrics(recorded?.expected ?? [])).toEqual(means);
  });
});

describe('the fixture', () => {
  const chromiumPath = recorder.defaultChromiumPath();

  it('still matches a live Chromium', { timeout: 60_000 }, async ({ skip }) => {
    if (!existsSync(chromiumPath)) {
      const reason = `no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`;
      console.warn(`Skipping the live Chromium check, ${reason}`);
      skip(reason);
    }
    const sample = fixture.cases.filter(
      (_, index) => index % 12 === 0 || Array.isArray(fixture.cases[index]?.header),
    );
    const { results } = await recorder.recordServerTiming(
      sample.map((testCase) => testCase.header),
      chromiumPath,
    );
    expect(results).toEqual(sample.map((testCase) => expectedMetrics(testCase.expected)));
  });
});
