import http from 'node:http';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NodeServerTiming } from '../src/index.js';
import {
  close,
  headerTraceContext,
  listen,
  metric,
  metricsOf,
  request,
  startTelemetry,
  type Telemetry,
} from './telemetry.js';

let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry();
});
afterAll(() => telemetry.shutdown());

const CONCURRENT = 500;
/**
 * 500 concurrent requests take about a second on an idle 2-core machine and many times that on a busy
 * one: the test gets the time it needs there, so only a wrong response can fail it.
 */
const ISOLATION_TIMEOUT_MS = 180_000;

function span(name: string, attributes: Record<string, string>, durationMs: number): Promise<void> {
  const started = telemetry.tracer.startSpan(name, { attributes });
  return new Promise((resolve) =>
    setTimeout(() => {
      started.end();
      resolve();
    }, durationMs),
  );
}

it(
  `gives each of ${CONCURRENT} concurrent requests only its own metrics and its own trace`,
  async () => {
    const timing = new NodeServerTiming();
    const server = http.createServer(async (req, res) => {
      timing.attach(req, res);
      const id = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('id'));
      const queries = id % 7;
      const traceId = trace.getActiveSpan()?.spanContext().traceId;
      // Interleave with the other requests: random delays, a span named after the request, and `queries` db spans.
      await span(`work-${id}`, {}, Math.random() * 10);
      await Promise.all(
        Array.from({ length: queries }, () =>
          span(`query-${id}`, { 'db.system.name': 'postgresql' }, Math.random() * 5),
        ),
      );
      res.end(JSON.stringify({ id, queries, traceId }));
    });
    const origin = await listen(server);
    try {
      const replies = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, id) => request(`${origin}/?id=${id}`)),
      );
      const traceIds = new Set<string>();
      for (const reply of replies) {
        const { id, queries, traceId } = JSON.parse(reply.body) as {
          id: number;
          queries: number;
          traceId: string;
        };
        const metrics = metricsOf(reply);
        expect(headerTraceContext(reply)?.traceId).toBe(traceId);
        traceIds.add(traceId);
        const work = metrics.filter((entry) => entry.name.startsWith('work'));
        expect(work).toHaveLength(1);
        expect(work[0]?.description).toBe(`work-${id}`);
        const database = metric(metrics, 'postgresql');
        if (queries === 0) expect(database).toBeUndefined();
        else expect(database?.description).toBe(queries === 1 ? `query-${id}` : `${queries}x query-${id}`);
      }
      expect(traceIds.size).toBe(CONCURRENT);
    } finally {
      await close(server);
    }
  },
  ISOLATION_TIMEOUT_MS,
);
