// `NodeServerTiming` on a plain node:http server, with a sampler that drops every trace wrapped in our
// `RecordingSampler`: the response still carries the timings, and the exporter still gets nothing.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { close, get, listen } from './helpers.mjs';
import { loadSet, startTracing } from './set.mjs';

const set = loadSet();

describe(`NodeServerTiming over instrumentation-http ${set.versions['@opentelemetry/instrumentation-http']}`, () => {
  /** @type {typeof import('@otel-server-timing/core')} */
  const core = set.require('@otel-server-timing/core');
  /** @type {typeof import('@otel-server-timing/node')} */
  const { NodeServerTiming } = set.require('@otel-server-timing/node');
  /** @type {import('./set.mjs').Tracing} */
  let tracing;
  /** @type {import('node:http').Server} */
  let server;
  let origin = '';

  before(async () => {
    tracing = startTracing(set, {
      spanProcessor: new core.ServerTimingSpanProcessor(),
      sampler: new core.RecordingSampler(/** @type {never} */ (new set.sdk.AlwaysOffSampler())),
    });
    const timing = new NodeServerTiming();
    const tracer = tracing.tracer;
    server = createServer((req, res) => {
      const handle = timing.attach(req, res);
      tracer.startActiveSpan('load profile', async (span) => {
        await delay(2);
        span.end();
        handle?.add({ name: 'render', duration: 1.5 });
        res.end('ok');
      });
    });
    origin = await listen(server);
  });

  after(async () => {
    await close(server);
    await tracing.stop();
  });

  it('writes the timings of a request whose trace is not sampled, and exports nothing', async () => {
    const reply = await get(`${origin}/profile`);
    const metrics = core.parseServerTiming(reply.serverTiming);
    const names = metrics.map((metric) => metric.name);
    assert.ok(names.includes('load_profile'), reply.serverTiming);
    assert.ok(names.includes('render') && names.includes('total'), reply.serverTiming);
    assert.equal(core.readTraceContext(metrics)?.sampled, false, reply.serverTiming);
    assert.deepEqual(tracing.exporter.getFinishedSpans(), []);
  });
});
