import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { settledRequestSpans, waitFor } from '@otel-server-timing/adapter-test-kit';
import { startOtlpReceiver, toReadableSpan } from '@otel-server-timing/adapter-test-kit/otlp-receiver';
import {
  type PostgresqlService,
  type RunningService,
  startPostgresql,
  startRedis,
} from '@otel-server-timing/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHeader } from '../src/check.js';
import { CORPUS } from '../src/corpus.js';
import { fetchServerTiming, listen } from '../src/serve.js';

/**
 * The zero-code entry on an unmodified service (`node --require @otel-server-timing/node/register app.cjs`,
 * and `--import` for the same app as an ES module; every default auto-instrumentation, spans exported over
 * OTLP to a local receiver): Express 5 with instrumentation-express and instrumentation-router, pg +
 * pg-pool on PostgreSQL, ioredis on Redis, fetch (undici) with dns and net.
 */

let postgresql: PostgresqlService;
let redis: RunningService;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let downstream: Awaited<ReturnType<typeof listen>>;
const apps: ChildProcess[] = [];

beforeAll(async () => {
  [postgresql, redis, receiver, downstream] = await Promise.all([
    startPostgresql(),
    startRedis(),
    startOtlpReceiver(),
    listen(createServer((_request, response) => response.end('data'))),
  ]);
});

afterAll(async () => {
  for (const app of apps) {
    if (app.exitCode !== null || app.signalCode !== null) continue;
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGKILL');
    await exited;
  }
  await Promise.all([postgresql?.stop(), redis?.stop(), receiver?.close(), downstream?.close()]);
});

/** Starts the fixture app under the entry; resolves with its origin once it listens. */
async function startApp(preload: '--require' | '--import', fixture: string): Promise<string> {
  const app = spawn(
    process.execPath,
    [
      preload,
      '@otel-server-timing/node/register',
      fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url)),
    ],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        PG_PORT: String(postgresql.port),
        REDIS_PORT: String(redis.port),
        DOWNSTREAM: downstream.origin.replace('127.0.0.1', 'localhost'),
        OTEL_SERVICE_NAME: 'zero-code-app',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        // No cloud metadata look-ups: this machine reaches no cloud.
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os',
      },
    },
  );
  apps.push(app);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: app.stdout! }).once('line', resolve);
    app.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}

/**
 * Waits until the receiver holds the request's root span and every span beneath it (no exported span
 * of its trace still waits for its parent), and resolves with all the spans received.
 */
async function exportedSpans(rootSpanId: string): Promise<readonly ReadableSpan[]> {
  return waitFor(`the spans of the request ${rootSpanId} at the receiver`, () => {
    const spans = receiver.spans.map(toReadableSpan);
    return settledRequestSpans(spans, rootSpanId) !== undefined && spans;
  });
}

describe('zero-code entry (register) on an unmodified Express 5 app', () => {
  it.each([
    ['--require', 'zero-code-app.cjs'],
    ['--import', 'zero-code-app.mjs'],
  ] as const)(
    '%s %s: 2 queries, 1 Redis command, 1 call; layers once; no plumbing',
    async (preload, fixture) => {
      const origin = await startApp(preload, fixture);
      await fetchServerTiming(`${origin}/users/42`);
      const { status, header } = await fetchServerTiming(`${origin}/users/42?debug=1`);
      expect(status, header).toBe(200);
      const rootSpanId = /traceparent;desc="00-[0-9a-f]{32}-([0-9a-f]{16})-/.exec(header)?.[1] ?? '';
      const spans = await exportedSpans(rootSpanId);
      const problems = compareHeader(CORPUS.register, header, spans);
      expect(problems.join('\n\n')).toBe('');
    },
  );
});
