import {
  expectNothingPrivate,
  fetchServerTiming,
  spanCount,
  useExample,
} from '@otel-server-timing/example-support/testing';
import { describe, expect, it } from 'vitest';

const example = new URL('..', import.meta.url);

describe.each([
  ['Express', 'dist/main-express.js'],
  ['Fastify', 'dist/main-fastify.js'],
])('NestJS on its %s platform', (_platform, main) => {
  const app = useExample(example, ['--import', './dist/tracing.mjs', main]);

  /** The response to `path` and its Server-Timing, checked for what every Nest response must say. */
  async function timing(path: string, status: number) {
    const reading = await fetchServerTiming(`${app().url}${path}`);
    const { byName, header } = reading;
    expect(reading.response.status, header).toBe(status);
    // The app makes no outgoing call: nestjs-core's request-context span (a method and a url.full) is no
    // `http` metric, on errors neither.
    expect(byName.http, header).toBeUndefined();
    // The adapter's own middleware (Express) or hook (Fastify) only times this library.
    expect(header).not.toMatch(/serverTiming|otel-server-timing/);
    expect(byName.total?.duration, header).toBeGreaterThan(0);
    expect(reading.traceContext?.sampled, header).toBe(true);
    expectNothingPrivate(header);
    return reading;
  }

  it('times the two parallel queries of GET /products as one postgresql metric counting 2', async () => {
    // The first request opens the pool's connections, the second reuses them: neither counts as a query.
    for (let request = 0; request < 2; request += 1) {
      const { byName, header } = await timing('/products', 200);
      expect(spanCount(byName.postgresql), header).toBe(2);
      expect(byName.postgresql?.duration, header).toBeGreaterThan(0);
    }
  });

  it('keeps a 404 to what the request did: its one query', async () => {
    const { byName, header } = await timing('/products/99', 404);
    expect(spanCount(byName.postgresql), header).toBe(1);
  });

  it('keeps a 500 to what the request did: its one failed query', async () => {
    const { byName, header } = await timing('/reports/returns', 500);
    expect(spanCount(byName.postgresql), header).toBe(1);
  });

  it('runs under instrumentation-nestjs-core, whose spans the example prints', () => {
    // Without them the checks above would prove nothing about Nest's request-context span.
    expect(app().output()).toMatch(/INTERNAL ProductsController\.find .* url\.full=\/products\/99/);
    expect(app().output()).toMatch(/INTERNAL ReportsController\.returns /);
  });
});
