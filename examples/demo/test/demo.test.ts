import { fetchServerTiming, useExample } from '@otel-server-timing/example-support/testing';
import { describe, expect, it } from 'vitest';

const demo = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'server.mjs']);

describe('the demo service', () => {
  it('serves the page with Server-Timing from its spans', async () => {
    const { response, byName, traceContext } = await fetchServerTiming(`${demo().url}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(byName.redis?.description).toBe('GET session');
    expect(byName.postgresql?.description).toBe('SELECT featured_products');
    expect(traceContext?.sampled).toBe(true);
  });

  it('answers the API routes with their child spans as metrics', async () => {
    const products = await fetchServerTiming(`${demo().url}/api/products`);
    expect(products.byName.postgresql?.description).toBe('3 spans');
    expect(products.byName.redis?.description).toBe('GET products:v2');
    expect(products.byName.cache?.description).toBe('miss');

    const slow = await fetchServerTiming(`${demo().url}/api/slow`);
    expect(slow.byName.postgresql?.description).toBe('2 spans');
    expect(slow.byName.http?.description).toBe('GET');
    expect(slow.byName.total?.duration).toBeGreaterThanOrEqual(slow.byName.http?.duration ?? Number.NaN);

    const cached = await fetchServerTiming(`${demo().url}/api/cache`);
    expect(cached.response.headers.get('cache-control')).toBe('max-age=15');
    expect(cached.byName.cache?.description).toBe('hit');
  });
});
