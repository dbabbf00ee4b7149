import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../src/parse.js';

/** A parsed metric with Chromium's defaults: duration 0, empty description. */
function metric(name: string, duration = 0, description = '') {
  return { name, duration, description };
}

describe('parseServerTiming', () => {
  it('reads metrics with and without duration and description', () => {
    expect(
      parseServerTiming('miss, db;dur=53, app;dur=47.2, dc;desc=atl, cache;desc="Cache Read";dur=23.2'),
    ).toEqual([
      metric('miss'),
      metric('db', 53),
      metric('app', 47.2),
      metric('dc', 0, 'atl'),
      metric('cache', 23.2, 'Cache Read'),
    ]);
  });

  it('returns no metrics when there is no header', () => {
    expect(parseServerTiming(null)).toEqual([]);
    expect(parseServerTiming(undefined)).toEqual([]);
    expect(parseServerTiming('')).toEqual([]);
    expect(parseServerTiming('  \t ')).toEqual([]);
    expect(parseServerTiming([])).toEqual([]);
  });

  it('keeps repeated metric names, in order, and the case of names', () => {
    expect(parseServerTiming('a;dur=1, A;dur=2, a;dur=3')).toEqual([
      metric('a', 1),
      metric('A', 2),
      metric('a', 3),
    ]);
  });

  describe('durations', () => {
    it.each([
      ['12', 12],
      ['-1', -1],
      ['+5', 5],
      ['.5', 0.5],
      ['5.', 5],
      ['1e3', 1000],
      ['1E-3', 0.001],
      ['"12"', 12],
      ['"\t7"', 7],
      ['1e400', Number.POSITIVE_INFINITY],
      ['-1e400', Number.NEGATIVE_INFINITY],
      ['1e-400', 0],
    ])('dur=%s is %s', (value, duration) => {
      expect(parseServerTiming(`m;dur=${value}`)).toEqual([metric('m', duration)]);
    });

    it('keeps a negative zero', () => {
      expect(parseServerTiming('m;dur=-0')[0]?.duration).toBe(-0);
    });

    it.each([
      '1.2.3',
      '12abc',
      '1e',
      '0x10',
      'Infinity',
      'NaN',
      '.',
      '-',
      '"12 "',
      '"\u00a05"',
      '',
      '"unterminated',
    ])('dur=%s is not entirely a number, so 0', (value) => {
      expect(parseServerTiming(`m;dur=${value}`)).toEqual([metric('m')]);
    });

    it('reads a very long number without trouble', () => {
      expect(parseServerTiming(`m;dur=${'9'.repeat(100_000)}x`)).toEqual([metric('m')]);
      expect(parseServerTiming(`m;dur=1.${'0'.repeat(100_000)}1`)).toEqual([metric('m', 1)]);
    });
  });

  describe('descriptions', () => {
    it('unescapes quoted strings', () => {
      expect(parseServerTiming('m;desc="a \\"b\\" \\\\ \\c"')).toEqual([metric('m', 0, 'a "b" \\ c')]);
    });

    it('keeps commas, semicolons and equals signs inside quotes', () => {
      expect(parseServerTiming('m;desc="a,b;c=d", n')).toEqual([metric('m', 0, 'a,b;c=d'), metric('n')]);
    });

    it('drops an unterminated quoted string together with the rest of the header', () => {
      expect(parseServerTiming('m;desc="open, n;dur=1')).toEqual([metric('m')]);
      expect(parseServerTiming('m;desc="ends in a backslash\\')).toEqual([metric('m')]);
    });

    it('takes a bare value up to the first character that is not a token character', () => {
      expect(parseServerTiming('m;desc=two words;dur=1')).toEqual([metric('m', 1, 'two')]);
      expect(parseServerTiming('m;desc=caf\u00e9')).toEqual([metric('m', 0, 'caf')]);
    });

    it('passes Latin-1 and other characters through quoted strings', () => {
      expect(parseServerTiming('m;desc="caf\u00e9 \u00ff \u20ac \ud83d\ude00"')).toEqual([
        metric('m', 0, 'caf\u00e9 \u00ff \u20ac \ud83d\ude00'),
      ]);
    });
  });

  describe('parameters', () => {
    it('matches dur and desc case-insensitively', () => {
      expect(parseServerTiming('m;DUR=1;Desc=x')).toEqual([metric('m', 1, 'x')]);
    });

    it('keeps the first dur and desc, even when empty or invalid', () => {
      expect(parseServerTiming('m;dur=1;desc=a;dur=2;desc=b')).toEqual([metric('m', 1, 'a')]);
      expect(parseServerTiming('m;dur;dur=5')).toEqual([metric('m')]);
      expect(parseServerTiming('m;dur=abc;dur=5')).toEqual([metric('m')]);
      expect(parseServerTiming('m;desc="";desc=b')).toEqual([metric('m')]);
    });

    it('ignores unknown parameters, with or without a value', () => {
      expect(parseServerTiming('m;foo=bar;baz;qux="x;y";dur=1;duration=2;description=x')).toEqual([
        metric('m', 1),
      ]);
    });

    it('allows whitespace around separators', () => {
      expect(parseServerTiming('  m \t; dur = 1 ;\tdesc = "x" ,  n  ')).toEqual([
        metric('m', 1, 'x'),
        metric('n'),
      ]);
    });
  });

  describe('leniency and where it stops, as in Chromium', () => {
    it('skips text after a name or a value up to the next comma or semicolon, quotes or not', () => {
      expect(parseServerTiming('m garbage;dur=1, n;dur=2 more, o')).toEqual([
        metric('m', 1),
        metric('n', 2),
        metric('o'),
      ]);
      expect(parseServerTiming('m;dur=1 "quoted, n" x, o')).toEqual([
        metric('m', 1),
        metric('n'),
        metric('o'),
      ]);
      expect(parseServerTiming('a"x,y";dur=1')).toEqual([metric('a'), metric('y', 1)]);
    });

    it('reads a missing comma as garbage of the metric before', () => {
      expect(parseServerTiming('a;dur=1 b;dur=2')).toEqual([metric('a', 1)]);
    });

    it('stops at an entry that does not start with a token', () => {
      expect(parseServerTiming('a, "b", c')).toEqual([metric('a')]);
      expect(parseServerTiming('a,,b')).toEqual([metric('a')]);
      expect(parseServerTiming(', a')).toEqual([]);
      expect(parseServerTiming('[x];dur=1')).toEqual([]);
    });

    it('stops at a parameter that does not start with a token', () => {
      expect(parseServerTiming('a;;dur=1, b')).toEqual([metric('a')]);
      expect(parseServerTiming('a;=1, b')).toEqual([metric('a')]);
      expect(parseServerTiming('a; , b')).toEqual([metric('a'), metric('b')]);
    });

    it('stops after a parameter without value that is followed by garbage', () => {
      expect(parseServerTiming('m;dur 5, n')).toEqual([metric('m')]);
    });

    it('takes the names Chromium takes as tokens, including braces', () => {
      expect(parseServerTiming("{braces}, !#$%&'*+-.^_`|~")).toEqual([
        metric('{braces}'),
        metric("!#$%&'*+-.^_`|~"),
      ]);
    });
  });

  describe('several header lines', () => {
    it('joins them in order', () => {
      expect(parseServerTiming(['a;dur=1', 'b;dur=2, c'])).toEqual([
        metric('a', 1),
        metric('b', 2),
        metric('c'),
      ]);
    });

    it('trims each line and joins with ", ", which shows inside a quoted string spanning lines', () => {
      expect(parseServerTiming(['a;desc="x \t', '  y"'])).toEqual([metric('a', 0, 'x, y')]);
    });

    it('keeps empty lines, which end the parse like an empty entry', () => {
      expect(parseServerTiming(['a', '', 'b'])).toEqual([metric('a')]);
      expect(parseServerTiming(['', 'a'])).toEqual([]);
    });
  });

  describe('input Chromium never sees', () => {
    it('takes DEL as a token character and other controls as not', () => {
      expect(parseServerTiming('a\u007fb;dur=1')).toEqual([metric('a\u007fb', 1)]);
      expect(parseServerTiming('a\u0000b;dur=1, c')).toEqual([metric('a', 1), metric('c')]);
      expect(parseServerTiming('\na')).toEqual([]);
    });

    it('treats characters above U+00FF like other non-token characters', () => {
      expect(parseServerTiming('\u20ac;dur=1')).toEqual([]);
      expect(parseServerTiming('a\u20ac;dur=1')).toEqual([metric('a', 1)]);
      expect(parseServerTiming('a;dur=1\u2009')).toEqual([metric('a', 1)]);
    });

    it('ignores values that are not strings or arrays, and array items that are not strings', () => {
      expect(parseServerTiming(42 as unknown as string)).toEqual([]);
      expect(parseServerTiming({ length: 1, 0: 'a' } as unknown as string[])).toEqual([]);
      expect(parseServerTiming(['a', 1, null, 'b'] as unknown as string[])).toEqual([
        metric('a'),
        metric('b'),
      ]);
    });

    it('does not throw on arrays whose elements cannot be read', () => {
      const throwing = new Proxy(['a'], {
        get() {
          throw new Error('no');
        },
      });
      const { proxy: revoked, revoke } = Proxy.revocable(['a'], {});
      revoke();
      expect(parseServerTiming(throwing)).toEqual([]);
      expect(parseServerTiming(revoked)).toEqual([]);
    });
  });
});
