import { fetchServerTiming, spanCount, useExample } from '@otel-server-timing/example-support/testing';
import { describe, expect, it } from 'vitest';

const demo = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'server.mjs']);

describe('the demo service', () => {
  it('serves the page with Server-Timing from its spans', async () => {
    const { response, byName, header, traceContext } = await fetchServerTiming(`${demo().url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    // One real query; the pool's checkout and connect are not queries.
    expect(spanCount(byName.postgresql), header).toBe(1);
    expect(traceContext?.sampled).toBe(true);
  });

  it('answers the API routes with their child spans as metrics', async () => {
    const products = await fetchServerTiming(`${demo().url}/api/products`);
    expect(spanCount(products.byName.postgresql), products.header).toBe(3);
    expect(products.byName.cache?.description, products.header).toBe('miss');

    // Two sequential queries, then one call through node:http and one through fetch.
    const slow = await fetchServerTiming(`${demo().url}/api/slow`);
    expect(spanCount(slow.byName.postgresql), slow.header).toBe(2);
    expect(slow.byName.http?.description, slow.header).toBe('2x GET');
    expect(slow.byName.total?.duration).toBeGreaterThanOrEqual(slow.byName.http?.duration ?? Number.NaN);
    // What the shipping service said in its own Server-Timing, folded in: its query, and its total for
    // both calls (the server part of them; the rest of `http` is the network).
    expect(spanCount(slow.byName['shipping.postgresql']), slow.header).toBe(1);
    expect(slow.byName['shipping.total']?.description, slow.header).toBe('2 answers');
    expect(slow.byName['shipping.total']?.duration).toBeLessThanOrEqual(
      (slow.byName.http?.duration ?? Number.NaN) + 1,
    );

    const cached = await fetchServerTiming(`${demo().url}/api/cache`);
    expect(cached.response.headers.get('cache-control')).toBe('private, max-age=15');
    expect(spanCount(cached.byName.postgresql), cached.header).toBe(1);
  });
});
