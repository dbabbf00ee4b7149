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
