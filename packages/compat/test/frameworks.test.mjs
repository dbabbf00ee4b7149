// The fastify, koa and hono adapters over instrumentation-http alone (their framework instrumentations
// are not part of the sets): each finds the request's server span through the set's API and writes the
// span the route finished under it, `total`, and that server span's trace context.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { close, exportedServerSpan, get, listen } from './helpers.mjs';
import { loadSet, startTracing } from './set.mjs';

const set = loadSet();
const { versions } = set;

describe(`fastify ${versions.fastify}, koa ${versions.koa}, hono ${versions.hono} over instrumentation-http ${versions['@opentelemetry/instrumentation-http']}`, () => {
  /** @type {typeof import('@otel-server-timing/core')} */
  const core = set.require('@otel-server-timing/core');
  /** @type {import('./set.mjs').Tracing} */
  let tracing;

  before(() => {
    tracing = startTracing(set, { spanProcessor: new core.ServerTimingSpanProcessor() });
  });

  after(async () => {
    await tracing.stop();
  });

  /** What every route does: one span of its own, finished before the response. */
  async function work() {
    await tracing.tracer.startActiveSpan('load work', async (span) => {
      await delay(1);
      span.end();
    });
  }

  /** @param {string} origin */
  async function assertTimings(origin) {
    const reply = await get(`${origin}/work`);
    assert.equal(reply.body, 'ok');
    const metrics = core.parseServerTiming(reply.serverTiming);
    const names = metrics.map((metric) => metric.name);
    assert.ok(names.includes('load_work') && names.includes('total'), reply.serverTiming);
    const traceContext = core.readTraceContext(metrics);
    assert.ok(traceContext !== undefined, reply.serverTiming);
    const root = await exportedServerSpan(tracing, traceContext.traceId);
    assert.equal(root.spanContext().spanId, traceContext.spanId);
  }

  it('@otel-server-timing/fastify', async () => {
    const fastify = set.require('fastify');
    const { serverTiming } = set.require('@otel-server-timing/fastify');
    const app = fastify();
    await app.register(serverTiming);
    app.get('/work', async () => {
      await work();
      return 'ok';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await assertTimings(`http://127.0.0.1:${app.server.address().port}`);
    } finally {
      await app.close();
    }
  });

  it('@otel-server-timing/koa', async () => {
    const Koa = set.require('koa');
    const { serverTiming } = set.require('@otel-server-timing/koa');
    const app = new Koa();
    app.use(serverTiming());
    app.use(async (/** @type {{ body: unknown }} */ ctx) => {
      await work();
      ctx.body = 'ok';
    });
    const server = createServer(app.callback());
    try {
      await assertTimings(await listen(server));
    } finally {
      await close(server);
    }
  });

  it('@otel-server-timing/hono under @hono/node-server', async () => {
    const { Hono } = set.require('hono');
    const { createAdaptorServer } = set.require('@hono/node-server');
    const { serverTiming } = set.require('@otel-server-timing/hono');
    const app = new Hono();
    app.use(serverTiming());
    app.get('/work', async (/** @type {{ text(body: string): Response }} */ c) => {
      await work();
      return c.text('ok');
    });
    const server = createAdaptorServer({ fetch: app.fetch });
    try {
      await assertTimings(await listen(server));
    } finally {
      await close(server);
    }
  });
});
