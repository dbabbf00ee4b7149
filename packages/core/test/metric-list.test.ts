import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendToListHeader } from '../src/list-header.js';
import { MAX_ADDED_METRICS, MetricList } from '../src/metric-list.js';
import type { ServerTimingMetric } from '../src/types.js';

const warnings: string[] = [];
const ignore = () => {};
const logger: DiagLogger = {
  error: ignore,
  info: ignore,
  debug: ignore,
  verbose: ignore,
  warn: (message) => warnings.push(message),
};

beforeEach(() => {
  warnings.length = 0;
  diag.setLogger(logger, DiagLogLevel.WARN);
});
afterEach(() => diag.disable());

describe('MetricList: the add() contract of every adapter', () => {
  it('keeps a copy of each usable metric, with only the fields that can be written', () => {
    const list = new MetricList('my-adapter');
    const metric = { name: 'cache', duration: 2.5, description: 'hit', extra: 1 } as ServerTimingMetric;
    list.add(metric);
    list.add({ name: 'render', duration: Number.NaN, description: '' });
    metric.name = 'changed later';
    expect(list.metrics).toEqual([{ name: 'cache', duration: 2.5, description: 'hit' }, { name: 'render' }]);
    expect(warnings).toEqual([]);
  });

  it('reports misuse through diag and never throws', () => {
    const list = new MetricList('my-adapter');
    const hostile = {
      get name(): string {
        throw new Error('boom');
      },
    };
    for (const bad of [null, 'db', { duration: 1 }, { name: '' }, hostile]) {
      expect(() => list.add(bad as never)).not.toThrow();
    }
    expect(list.metrics).toBeUndefined();
    expect(warnings).toHaveLength(5);
    expect(warnings.every((message) => message.startsWith('my-adapter: '))).toBe(true);
  });

  it('adds what it holds to another recorder, in order, and keeps it', () => {
    const list = new MetricList('my-adapter');
    const handed: ServerTimingMetric[] = [];
    list.addTo({ add: (metric) => handed.push(metric) });
    expect(handed).toEqual([]);
    list.add({ name: 'db', duration: 1 });
    list.add({ name: 'cache' });
    list.addTo({ add: (metric) => handed.push(metric) });
    expect(handed).toEqual([{ name: 'db', duration: 1 }, { name: 'cache' }]);
    expect(list.metrics).toEqual(handed);
  });

  it(`keeps at most ${MAX_ADDED_METRICS} metrics per response`, () => {
    const list = new MetricList('my-adapter');
    for (let index = 0; index <= MAX_ADDED_METRICS; index++) list.add({ name: `m${index}` });
    expect(list.metrics).toHaveLength(MAX_ADDED_METRICS);
    expect(warnings).toEqual([
      `my-adapter: more than ${MAX_ADDED_METRICS} metrics added to one response; "m${MAX_ADDED_METRICS}" ignored`,
    ]);
    expect(list.take()).toHaveLength(MAX_ADDED_METRICS);
    expect(list.metrics).toBeUndefined();
  });
});

describe('appendToListHeader', () => {
  it("appends after the application's value, never replacing it", () => {
    expect(appendToListHeader(undefined, 'db;dur=1', false)).toBe('db;dur=1');
    expect(appendToListHeader(' ', 'db;dur=1', false)).toBe('db;dur=1');
    expect(appendToListHeader('app;dur=2', 'db;dur=1', false)).toBe('app;dur=2, db;dur=1');
    expect(appendToListHeader(['a', 3], 'db', false)).toBe('a, 3, db');
  });

  it('adds only the items a unique list lacks, compared without case', () => {
    expect(appendToListHeader('https://a.example', 'https://a.example', true)).toBe('https://a.example');
    expect(appendToListHeader('X-Id, server-timing', 'Server-Timing', true)).toBe('X-Id, server-timing');
    expect(appendToListHeader('https://a.example', 'https://A.example, https://b.example', true)).toBe(
      'https://a.example, https://b.example',
    );
  });
});
