import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMetric,
  formatServerTiming,
  MAX_DESCRIPTION_LENGTH,
  MAX_DURATION,
  toDescriptionText,
} from '../src/header/format.js';
import { parseServerTiming } from '../src/parse.js';
import { FALLBACK_NAME, isToken, MAX_NAME_LENGTH, toMetricName } from '../src/token.js';
import type { ServerTimingMetric } from '../src/types.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Fails unless `value` is a header value that Node and the Fetch API accept unchanged. */
function expectValidHeaderValue(value: string): void {
  expect(value).toMatch(PRINTABLE_ASCII);
  expect(value).toBe(value.trim());
  expect(() => validateHeaderValue('Server-Timing', value)).not.toThrow();
  const headers = new Headers();
  headers.set('Server-Timing', value);
  expect(headers.get('Server-Timing')).toBe(value);
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'line\r\nSet-Cookie: a=b',
  'quote " and \\ backslash',
  'comma, semicolon; equals=',
  '\u0000\u0001\u001f\u007f',
  'tab\there',
  'caf\u00e9 na\u00efve',
  '\u65e5\u672c\u8a9e',
  '\ud83d\ude00 emoji \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67',
  'lone \ud800 surrogate \udc00',
  '\u202eright-to-left',
  'x'.repeat(10_000),
];

describe('toMetricName', () => {
  it('keeps a token as it is', () => {
    expect(toMetricName('db')).toBe('db');
    expect(toMetricName("!#$%&'*+-.^_`|~09AZaz")).toBe("!#$%&'*+-.^_`|~09AZaz");
  });

  it('turns runs of other characters into one _ and drops _ at the ends', () => {
    expect(toMetricName('GET /api/users/:id')).toBe('GET_api_users_id');
    expect(toMetricName('  "quoted"  ')).toBe('quoted');
    expect(toMetricName('a\r\nb')).toBe('a_b');
    expect(toMetricName('caf\u00e9 latte')).toBe('caf_latte');
  });

  it('falls back when nothing usable is left', () => {
    for (const name of ['', ' ', '\u65e5\u672c', '"";;,,', '\ud83d\ude00'])
      expect(toMetricName(name)).toBe(FALLBACK_NAME);
  });

  it(`cuts names to ${MAX_NAME_LENGTH} characters`, () => {
    expect(toMetricName('a'.repeat(1000))).toBe('a'.repeat(MAX_NAME_LENGTH));
    expect(toMetricName(`${'b'.repeat(40)} ${'c'.repeat(40)}`)).toHaveLength(MAX_NAME_LENGTH);
  });

  it('always returns a token', () => {
    for (const name of HOSTILE_STRINGS) {
      const result = toMetricName(name);
      expect(isToken(result)).toBe(true);
      expect(result.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0'],
    [53, '53'],
    [47.2, '47.2'],
    [1.23456, '1.235'],
    [0.0005, '0.001'],
    [0.0004, '0'],
    [1e-7, '0'],
    [Number.MIN_VALUE, '0'],
    [-1, '0'],
    [-0, '0'],
    [Number.NEGATIVE_INFINITY, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [Number.NaN, undefined],
    [1e21, String(MAX_DURATION)],
    [Number.MAX_VALUE, String(MAX_DURATION)],
  ])('%s → %s', (duration, expected) => {
    expect(formatDuration(duration)).toBe(expected);
  });

  it('writes no exponent and at most three decimals', () => {
    for (const duration of [1e-6, 1.5e-3, 123456.7891, 9.999999, 1e12 - 0.0001, 2 ** 40 + 0.5]) {
      expect(formatDuration(duration)).toMatch(/^\d+(\.\d{1,3})?$/);
    }
  });

  it('ignores what is not a number', () => {
    for (const duration of ['12', null, undefined, 12n, {}, [12]])
      expect(formatDuration(duration)).toBeUndefined();
  });
});

describe('toDescriptionText', () => {
  it('keeps printable ASCII as it is', () => {
    expect(toDescriptionText('SELECT "users" \\ 1')).toBe('SELECT "users" \\ 1');
  });

  it('strips accents and replaces other characters with ?', () => {
    expect(toDescriptionText('caf\u00e9 na\u00efve \u00c5ngstr\u00f6m')).toBe('cafe naive Angstrom');
    expect(toDescriptionText('tab\there\r\n\u0000')).toBe('tab?here???');
    expect(toDescriptionText('\u65e5\u672c')).toBe('??');
  });

  it(`cuts text to ${MAX_DESCRIPTION_LENGTH} characters`, () => {
    expect(toDescriptionText('x'.repeat(10_000))).toBe('x'.repeat(MAX_DESCRIPTION_LENGTH));
    expect(toDescriptionText('\u00e9'.repeat(10_000))).toBe('e'.repeat(MAX_DESCRIPTION_LENGTH));
  });

  it('always returns printable ASCII', () => {
    for (const text of HOSTILE_STRINGS) {
      const result = toDescriptionText(text);
      expect(result).toMatch(PRINTABLE_ASCII);
      expect(result.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    }
  });
});

describe('formatMetric', () => {
  it('writes name, duration and description', () => {
    expect(formatMetric({ name: 'db', duration: 53, description: 'SELECT users' })).toBe(
      'db;dur=53;desc="SELECT users"',
    );
  });

  it('writes a description that is a token bare and anything else quoted and escaped', () => {
    expect(formatMetric({ name: 'dc', description: 'atl' })).toBe('dc;desc=atl');
    expect(formatMetric({ name: 'q', description: 'say "hi" \\o/' })).toBe('q;desc="say \\"hi\\" \\\\o/"');
    expect(formatMetric({ name: 'e', description: '\u0301' })).toBe('e;desc=""');
  });

  it('leaves out what is absent, empty, invalid or turned off', () => {
    expect(formatMetric({ name: 'a', duration: Number.NaN, description: '' })).toBe('a');
    expect(formatMetric({ name: 'a', description: 42 } as unknown as ServerTimingMetric)).toBe('a');
    expect(formatMetric({ name: 'a', duration: 1, description: 'x' }, false)).toBe('a;dur=1');
  });

  it('makes a name of what is not a string', () => {
    expect(formatMetric({ name: 42 } as unknown as ServerTimingMetric)).toBe('42');
    expect(formatMetric({ name: Symbol('s') } as unknown as ServerTimingMetric)).toBe('Symbol_s');
  });
});

describe('formatServerTiming', () => {
  it('joins metrics with ", "', () => {
    expect(
      formatServerTiming([
        { name: 'db', duration: 53 },
        { name: 'app', duration: 47.2 },
        { name: 'cache', duration: 23.2, description: 'Cache Read' },
      ]),
    ).toBe('db;dur=53, app;dur=47.2, cache;dur=23.2;desc="Cache Read"');
  });

  it('leaves descriptions out when told to', () => {
    expect(formatServerTiming([{ name: 'db', duration: 1, description: 'x' }], { descriptions: false })).toBe(
      'db;dur=1',
    );
  });

  it('returns an empty value for what is not an array', () => {
    for (const metrics of [null, undefined, 'db', 42, { name: 'db' }]) {
      expect(formatServerTiming(metrics as unknown as ServerTimingMetric[])).toBe('');
    }
  });

  it('skips entries that are not objects', () => {
    const metrics = [
      null,
      undefined,
      'db',
      42,
      true,
      () => 1,
      { name: 'ok' },
    ] as unknown as ServerTimingMetric[];
    expect(formatServerTiming(metrics)).toBe('ok');
  });

  it('skips entries it cannot read and never throws', () => {
    const throwingGetter = {
      name: 'bad',
      get duration(): number {
        throw new Error('getter');
      },
    };
    const throwingName = { name: { toString: () => Symbol('no') } } as unknown as ServerTimingMetric;
    const nullPrototypeName = { name: Object.create(null) } as ServerTimingMetric;
    const withThrowingElement = [{ name: 'a' }, { name: 'b' }];
    Object.defineProperty(withThrowingElement, 0, {
      get() {
        throw new Error('element');
      },
    });
    expect(formatServerTiming([throwingGetter, throwingName, nullPrototypeName, { name: 'ok' }])).toBe('ok');
    expect(formatServerTiming(withThrowingElement)).toBe('b');
  });

  it('never throws on proxies or options whose getters throw', () => {
    const throwingProxy = new Proxy([{ name: 'a' }], {
      get() {
        throw new Error('proxy');
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable([{ name: 'a' }], {});
    revoke();
    const throwingOptions = {
      get descriptions(): boolean {
        throw new Error('options');
      },
    };
    expect(formatServerTiming(throwingProxy)).toBe('');
    expect(formatServerTiming(revoked)).toBe('');
    expect(formatServerTiming([{ name: 'a' }], throwingOptions)).toBe('');
  });

  it('writes a valid header value that parses back to the sanitised metrics, whatever the input', () => {
    const durations = [Number.NaN, Number.POSITIVE_INFINITY, -5, 0, 1e-7, 0.0005, 12.3456, 1e300, undefined];
    const metrics: ServerTimingMetric[] = HOSTILE_STRINGS.map((text, index) => ({
      name: text,
      duration: durations[index % durations.length],
      description: HOSTILE_STRINGS[HOSTILE_STRINGS.length - 1 - index],
    }));
    const header = formatServerTiming(metrics);
    expectValidHeaderValue(header);
    expect(parseServerTiming(header)).toEqual(
      metrics.map((metric) => ({
        name: toMetricName(metric.name),
        duration: Number(formatDuration(metric.duration) ?? 0),
        description: metric.description ? toDescriptionText(metric.description) : '',
      })),
    );
  });

  it('writes an empty value for no metrics', () => {
    expect(formatServerTiming([])).toBe('');
  });
});
