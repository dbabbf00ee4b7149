// What a downstream said goes through the same header builder as everything else, but only into the room
// the request's own metrics leave: it never pushes them into `other`, and each downstream's `total` is
// kept before its other metrics.
import { describe, expect, it } from 'vitest';
import { DownstreamMetrics } from '../src/downstream/downstream-metrics.js';
import type { HeaderParts } from '../src/header/build-header.js';
import { MetricGroup } from '../src/metric-group.js';
import { parseServerTiming } from '../src/parse.js';
import { builtHeader } from './built-header.js';

function ownGroup(name: string, duration: number): MetricGroup {
  const group = new MetricGroup(name, undefined, 'span', false);
  group.add(1000, 1000 + duration, undefined, 'union');
  return group;
}

function folded(header: string, elapsed = 100): DownstreamMetrics {
  const downstream = new DownstreamMetrics();
  downstream.fold({
    header,
    prefix: 'shipping',
    maxDepth: 2,
    startedAt: 1000,
    answeredAt: 1000 + elapsed,
    maxMetrics: 16,
    aggregation: 'union',
  });
  return downstream;
}

/** A header with a `total` of 50 ms, as the request's own part beside the downstream's. */
const build = (parts: Partial<HeaderParts>): string => builtHeader({ total: 50, ...parts });

const names = (header: string) => parseServerTiming(header).map((metric) => metric.name);

describe('folded downstream metrics in the header', () => {
  it('fill only the room left: the own metrics stay whole, the downstream total first', () => {
    const own = [ownGroup('postgresql', 1), ownGroup('http', 2)];
    const downstream = folded('a;dur=90, b;dur=80, c;dur=70, total;dur=95').take();
    expect(names(build({ groups: own, maxMetrics: 4, downstream }))).toEqual([
      'postgresql',
      'http',
      'total',
      'shipping.a',
      'shipping.total',
    ]);
    // No room at all: exactly the header without them.
    expect(build({ groups: own, maxMetrics: 2, downstream })).toBe(build({ groups: own, maxMetrics: 2 }));
  });

  it('within the byte budget, whatever the downstream claims', () => {
    const many = Array.from({ length: 500 }, (_, index) => `m${index};dur=${index};desc="${'x'.repeat(60)}"`);
    const own = [ownGroup('postgresql', 1)];
    const header = build({ groups: own, maxBytes: 256, downstream: folded(many.join(', ')).take() });
    expect(header.length).toBeLessThanOrEqual(256);
    expect(names(header).slice(0, 2)).toEqual(['postgresql', 'total']);
  });

  it('drop trace context and names deeper than maxDepth, clamp durations to the call, sanitise', () => {
    const downstream = folded(
      'traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", TRACE;desc=x, ' +
        'pricing.db;dur=5, a.b.c;dur=1, long;dur=1e9, weird{name};dur=2;desc="caf\u00e9 \\"q\\""',
      20,
    ).take();
    expect(names(build({ downstream }))).toEqual([
      'total',
      'shipping.pricing.db',
      'shipping.long',
      'shipping.weird_name',
    ]);
    const metrics = parseServerTiming(build({ downstream }));
    expect(metrics.find((metric) => metric.name === 'shipping.long')?.duration).toBe(20);
    expect(metrics.find((metric) => metric.name === 'shipping.weird_name')?.description).toBe('cafe "q"');
  });

  it('repeated answers aggregate like spans, described as answers', () => {
    const downstream = new DownstreamMetrics();
    for (const answeredAt of [1010, 1030]) {
      downstream.fold({
        header: 'total;dur=10',
        prefix: 'shipping',
        maxDepth: 2,
        startedAt: answeredAt - 10,
        answeredAt,
        maxMetrics: 16,
        aggregation: 'union',
      });
    }
    expect(build({ total: undefined, downstream: downstream.take() })).toBe(
      'shipping.total;dur=20;desc="2 answers"',
    );
  });
});
