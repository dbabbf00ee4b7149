import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { startPostgres } from '@otel-server-timing/example-support/database';
import { spanCount } from '@otel-server-timing/example-support/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const setups = ['node-tracer-provider.mjs', 'node-sdk.mjs', 'vercel-otel.mjs', 'sentry.mjs'];

// One PostgreSQL for the four app processes: starting PGlite costs seconds of CPU each time.
let database: Awaited<ReturnType<typeof startPostgres>> | undefined;
beforeAll(async () => {
  database = await startPostgres();
});
afterAll(() => database?.stop());

it.concurrent.each(setups)(
  '%s registers the processor: the app’s header carries its spans',
  async (setup) => {
    const { stdout } = await run(process.execPath, ['--import', `./${setup}`, 'app.mjs', '--once'], {
      cwd: new URL('..', import.meta.url),
      env: {
        ...process.env,
        OTEL_TRACES_EXPORTER: 'none',
        SENTRY_DSN: '',
        DATABASE_URL: database?.connectionString,
      },
      timeout: 60_000,
    });
    const header = /^Server-Timing: (.+)$/m.exec(stdout)?.[1] ?? '';
    const metrics = parseServerTiming(header);
    const byName = Object.fromEntries(metrics.map((metric) => [metric.name, metric]));
    expect(spanCount(byName.postgresql), header).toBe(2);
    expect(byName.http?.description, header).toBe('GET');
    expect(byName.total?.duration).toBeGreaterThanOrEqual(byName.http?.duration ?? Number.NaN);
    expect(metrics.map((metric) => metric.name)).toEqual(['postgresql', 'http', 'total', 'traceparent']);
    expect(readTraceContext(metrics)?.sampled).toBe(true);
  },
);
