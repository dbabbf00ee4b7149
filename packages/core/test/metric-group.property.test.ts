import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unionLength } from '../src/intervals.js';
import { MetricGroup } from '../src/metric-group.js';
import type { Aggregation } from '../src/types.js';

const member = fc.record({
  start: fc.double({ min: 1.7e12, max: 1.7e12 + 1000, noNaN: true }),
  duration: fc.double({ min: -1, max: 100, noNaN: true }),
  description: fc.constantFrom('SELECT users', 'SELECT orders', undefined),
});

describe('MetricGroup', () => {
  it('adds up its members as the plain definitions say, to the last bit', () => {
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<Aggregation>('union', 'sum', 'max', 'count'),
        (members, aggregation) => {
          const group = new MetricGroup('postgresql', members[0]?.description, 'operation', false);
          for (const { start, duration, description } of members) {
            group.add(start, start + duration, description, aggregation);
          }
          const durations = members.map(({ start, duration }) =>
            start + duration > start ? start + duration - start : 0,
          );
          let sum = 0;
          for (const duration of durations) sum += duration;
          const first = members[0] as (typeof members)[number];
          const firstInterval = [first.start, first.start + (durations[0] as number)];
          const intervals = members.flatMap(({ start }, index) => [
            start,
            start + (durations[index] as number),
          ]);
          expect(group.count).toBe(members.length);
          expect(group.sum).toBe(sum);
          expect(group.max).toBe(Math.max(0, ...durations));
          expect(group.firstStart).toBe(Math.min(...members.map(({ start }) => start)));
          expect(group.intervals()).toEqual(
            aggregation === 'union' && members.length > 1 ? intervals : firstInterval,
          );
          const expected = {
            union: members.length > 1 ? unionLength(intervals) : sum,
            sum,
            max: Math.max(0, ...durations),
            count: members.length,
          }[aggregation];
          expect(group.duration(aggregation)).toBe(expected);
        },
      ),
    );
  });

  it('is empty before its first member', () => {
    const group = new MetricGroup('db', undefined, 'span', false);
    expect([group.count, group.sum, group.max, group.firstStart]).toEqual([
      0,
      0,
      0,
      Number.POSITIVE_INFINITY,
    ]);
  });
});

describe('unionLength', () => {
  const interval = fc.tuple(
    fc.double({ min: 1.7e12, max: 1.7e12 + 1000, noNaN: true }),
    fc.double({ min: 0, max: 100, noNaN: true }),
  );
  /** The definition: sort by start, merge what overlaps or touches, add up the merged lengths in order. */
  function byMerging(intervals: readonly number[]): number {
    const pairs: [number, number][] = [];
    for (let i = 0; i < intervals.length; i += 2)
      pairs.push([intervals[i] as number, intervals[i + 1] as number]);
    pairs.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of pairs) {
      const last = merged[merged.length - 1];
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    let length = 0;
    for (const [start, end] of merged) length += end - start;
    return length;
  }

  it('equals merging the sorted intervals, to the last bit, in start order or not', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 12 }), fc.boolean(), (pairs, sorted) => {
        const ordered = sorted ? [...pairs].sort((a, b) => a[0] - b[0]) : pairs;
        const intervals = ordered.flatMap(([start, duration]) => [start, start + duration]);
        expect(unionLength(intervals)).toBe(byMerging(intervals));
      }),
    );
  });

  it('merges touching and nested intervals, and counts gaps out', () => {
    expect(unionLength([])).toBe(0);
    expect(unionLength([0, 5, 5, 8])).toBe(8);
    expect(unionLength([0, 10, 2, 3, 4, 12])).toBe(12);
    expect(unionLength([0, 1, 3, 4])).toBe(2);
    expect(unionLength([3, 4, 0, 1, 0.5, 3.5])).toBe(4);
  });
});
