import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatServerTiming, toDescriptionText } from '../src/header/format.js';
import { parseServerTiming } from '../src/parse.js';
import { toMetricName } from '../src/token.js';
import type { ParsedServerTimingMetric, ServerTimingMetric } from '../src/types.js';

const NUM_RUNS = 500;

/** Any text: full Unicode including lone surrogates, plain ASCII, or header syntax. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({
    unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', '"', '\\', ',', ';', '=', '\r', '\n', '\u00e9'),
  }),
);

/** Any double (NaN, ±Infinity, -0, subnormals) and, more often than chance, ordinary durations. */
const anyDuration = fc.oneof(fc.double(), fc.double({ min: 0, max: 1e6, noNaN: true }));

const anyMetric: fc.Arbitrary<ServerTimingMetric> = fc.record(
  { name: anyText, duration: anyDuration, description: anyText },
  { requiredKeys: ['name'] },
);

/** What `formatServerTiming` means to say about a metric, as a parser should read it back. */
function sanitised(metric: ServerTimingMetric, descriptions: boolean): ParsedServerTimingMetric {
  const duration = formatDuration(metric.duration);
  return {
    name: toMetricName(metric.name),
    duration: duration === undefined ? 0 : Number(duration),
    description: descriptions && metric.description ? toDescriptionText(metric.description) : '',
  };
}

/** Strings built from the pieces a Server-Timing header is made of, to reach the parser's corners. */
const headerLike = fc.string({
  unit: fc.constantFrom(
    'a',
    'dur',
    'DESC',
    '=',
    ';',
    ',',
    ' ',
    '\t',
    '"',
    '\\',
    '1',
    '.',
    'e',
    '-',
    '+',
    '\u00ff',
    '{',
  ),
});

describe('formatServerTiming and parseServerTiming', () => {
  it('write a header value that Node and the Fetch API accept, for any metrics', () => {
    fc.assert(
      fc.property(fc.array(anyMetric, { maxLength: 8 }), fc.boolean(), (metrics, descriptions) => {
        const header = formatServerTiming(metrics, { descriptions });
        expect(header).toMatch(/^[\x20-\x7e]*$/);
        expect(() => validateHeaderValue('Server-Timing', header)).not.toThrow();
        const headers = new Headers();
        headers.set('Server-Timing', header);
        expect(headers.get('Server-Timing')).toBe(header);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parse back what was formatted: sanitised names, printed durations, sanitised descriptions', () => {
    fc.assert(
      fc.property(fc.array(anyMetric, { maxLength: 8 }), fc.boolean(), (metrics, descriptions) => {
        const header = formatServerTiming(metrics, { descriptions });
        expect(parseServerTiming(header)).toEqual(metrics.map((metric) => sanitised(metric, descriptions)));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('parse several formatted header lines as one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(anyMetric, { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
        (lines) => {
          const headers = lines.map((metrics) => formatServerTiming(metrics));
          expect(parseServerTiming(headers)).toEqual(lines.flat().map((metric) => sanitised(metric, true)));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('parseServerTiming on arbitrary input', () => {
  it('never throws, and returns metrics whose names are tokens', () => {
    const input = fc.oneof(
      fc.string({ unit: 'binary' }),
      headerLike,
      fc.array(fc.oneof(fc.string({ unit: 'binary' }), headerLike)),
      fc.anything(),
    );
    fc.assert(
      fc.property(input, (value) => {
        for (const metric of parseServerTiming(value as string | string[])) {
          expect(metric.name).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z{}\x7f]+$/);
          expect(typeof metric.duration).toBe('number');
          expect(typeof metric.description).toBe('string');
        }
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });
});
