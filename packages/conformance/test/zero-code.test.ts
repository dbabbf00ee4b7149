import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  type PostgresqlService,
  type RunningService,
  startPostgresql,
  startRedis,
} from '@otel-server-timing/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHeader } from '../src/check.js';
import { CORPUS } from '../src/corpus.js';
import { startOtlpReceiver } from '../src/otlp-receiver.js';
import { fetchServerTiming, listen } from '../src/serve.js';

/**
 * The zero-code entry on an unmodified service (`node --require @otel-server-timing/node/register
 * app.cjs`, every default auto-instrumentation, spans exported over OTLP to a local receiver): Express 5
 * with instrumentation-express and instrumentation-router, pg + pg-pool on PostgreSQL, ioredis on Redis,
 * fetch (undici) with dns and net. A CommonJS app under `--require`: the ESM loader of `register` has an
 * issue of its own.
 */

const APP = fileURLToPath(new URL('../fixtures/zero-code-app.cjs', import.meta.url));
let postgresql: PostgresqlService;
let redis: RunningService;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let downstream: Awaited<ReturnType<typeof listen>>;
let app: ChildProcess;
let origin = '';

beforeAll(async () => {
  [postgresql, redis, receiver, downstream] = await Promise.all([
    startPostgresql(),
    startRedis(),
    startOtlpReceiver(),
    listen(createServer((_request, response) => response.end('data'))),
  ]);
  app = spawn(process.execPath, ['--require', '@otel-server-timing/node/register', APP], {
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
      // No cloud metadata look-ups: this machine reaches no cloud.
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os',
      OTEL_LOGS_EXPORTER: 'none',
    },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: app.stdout! }).once('line', resolve);
    app.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
  origin = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
});

afterAll(async () => {
  if (app !== undefined && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGKILL');
    await exited;
  }
  await Promise.all([postgresql?.stop(), redis?.stop(), receiver?.close(), downstream?.close()]);
});

/** Waits until the receiver holds the request's server span and every span beneath it has been exported. */
async function exportedSpans(traceId: string): Promise<readonly ReadableSpan[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const spans = receiver.spans.filter((span) => span.spanContext().traceId === traceId);
    if (spans.some((span) => span.kind === SpanKind.SERVER) && spans.length > 10) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return receiver.spans;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return receiver.spans;
}

describe('zero-code entry (register) on an unmodified Express 5 app', () => {
  it('says what the route did: 2 queries, 1 Redis command, 1 call; layers once; no plumbing', async () => {
    await fetchServerTiming(`${origin}/users/42`);
    const { status, header } = await fetchServerTiming(`${origin}/users/42?debug=1`);
    expect(status, header).toBe(200);
    const traceId = /traceparent;desc="00-([0-9a-f]{32})-/.exec(header)?.[1] ?? '';
    const spans = await exportedSpans(traceId);
    const problems = compareHeader(CORPUS.register, header, spans);
    expect(problems.join('\n\n')).toBe('');
  });
});
