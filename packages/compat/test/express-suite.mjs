// One instrumented Express application, tested end to end over real HTTP: the set's SDK with
// instrumentation-http and instrumentation-express, our processor, `@otel-server-timing/express` (over
// `@otel-server-timing/node`), and a handler that starts its own span and adds its own metric.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { close, exportedServerSpan, get, listen } from './helpers.mjs';
import { loadSet, startTracing } from './set.mjs';

const CLIENT_KIND = 2;

/**
 * @typedef {object} Loaders
 * @property {(set: import('./set.mjs').OtelSet) => Promise<{
 *   core: typeof import('@otel-server-timing/core'),
 *   adapter: typeof import('@otel-server-timing/express'),
 * }>} ours our packages, loaded before tracing starts (the processor is handed to the provider)
 * @property {(set: import('./set.mjs').OtelSet) => Promise<typeof import('express')>} express loaded once
 *   tracing has started, so that instrumentation-express patches it as it loads
 */

/**
 * @param {'CommonJS' | 'ESM'} format which build of our packages `load.ours` returns
 * @param {Loaders} load
 */
export function testExpressApp(format, load) {
  const set = loadSet();
  describe(`Express ${set.versions.express}, instrumentation-express ${set.versions['@opentelemetry/instrumentation-express']}, our ${format} builds`, () => {
    /** @type {import('./set.mjs').Tracing} */
    let tracing;
    /** @type {typeof import('@otel-server-timing/core')} */
    let core;
    /** @type {import('node:http').Server} */
    let server;
    let origin = '';

    before(async () => {
      const ours = await load.ours(set);
      core = ours.core;
      tracing = startTracing(set, { spanProcessor: new core.ServerTimingSpanProcessor() });
      const express = await load.express(set);
      const tracer = tracing.tracer;
      const app = express();
      const adapter = ours.adapter;
      app.use(adapter.serverTiming());
      app.use(function authenticate(_req, _res, next) {
        setImmediate(next);
      });
      app.get('/users/:id', async (_req, res) => {
        await tracer.startActiveSpan(
          'SELECT users',
          { kind: CLIENT_KIND, attributes: { 'db.system.name': 'postgresql' } },
          async (span) => {
            await delay(2);
            span.end();
          },
        );
        res.serverTiming.add({ name: 'cache', duration: 0.25, description: 'miss' });
        res.send('user');
      });
      app.get('/items/:n', async (req, res) => {
        const n = Number(req.params.n);
        await tracer.startActiveSpan(`step-${n}`, async (span) => {
          await delay(n % 4);
          span.end();
        });
        res.send(String(n));
      });
      server = createServer(app);
      origin = await listen(server);
    });

    after(async () => {
      await close(server);
      await tracing.stop();
    });

    it('writes the finished spans of the request, total and the trace context of its server span', async () => {
      const reply = await get(`${origin}/users/42`);
      assert.equal(reply.status, 200);
      const metrics = core.parseServerTiming(reply.serverTiming);
      const byName = new Map(metrics.map((metric) => [metric.name, metric]));
      assert.equal(byName.get('postgresql')?.description, 'SELECT users', reply.serverTiming);
      assert.ok((byName.get('postgresql')?.duration ?? 0) > 0, reply.serverTiming);
      assert.ok(byName.has('middleware'), `instrumentation-express spans are missing: ${reply.serverTiming}`);
      assert.deepEqual(byName.get('cache'), { name: 'cache', duration: 0.25, description: 'miss' });
      assert.ok((byName.get('total')?.duration ?? 0) > 0, reply.serverTiming);

      const traceContext = core.readTraceContext(metrics);
      assert.ok(traceContext !== undefined, reply.serverTiming);
      assert.equal(traceContext.sampled, true);
      const root = await exportedServerSpan(tracing, traceContext.traceId);
      assert.equal(root.spanContext().spanId, traceContext.spanId);
      assert.ok(
        tracing.exporter
          .getFinishedSpans()
          .some(
            (span) =>
              span.spanContext().traceId === traceContext.traceId && 'express.type' in span.attributes,
          ),
        'instrumentation-express recorded no span for this request',
      );
    });

    it("names its own server span, in the caller's trace, when the request carries a traceparent", async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const callerSpanId = '00f067aa0ba902b7';
      const reply = await get(`${origin}/users/7`, { traceparent: `00-${traceId}-${callerSpanId}-01` });
      const metrics = core.parseServerTiming(reply.serverTiming);
      const traceContext = core.readTraceContext(metrics);
      assert.equal(traceContext?.traceId, traceId);
      assert.notEqual(traceContext?.spanId, callerSpanId);
      // The server span is a local root under a remote parent: the request record opened, so its spans are there.
      assert.ok(
        metrics.some((metric) => metric.name === 'postgresql'),
        reply.serverTiming,
      );
      const root = await exportedServerSpan(tracing, traceId);
      assert.equal(root.spanContext().spanId, traceContext?.spanId);
    });

    it('gives each of many concurrent requests its own spans only', async () => {
      const replies = await Promise.all(Array.from({ length: 24 }, (_, n) => get(`${origin}/items/${n}`)));
      replies.forEach((reply, n) => {
        const steps = core
          .parseServerTiming(reply.serverTiming)
          .map((metric) => metric.name)
          .filter((name) => name.startsWith('step-'));
        assert.deepEqual(steps, [`step-${n}`], reply.serverTiming);
      });
    });
  });
}
