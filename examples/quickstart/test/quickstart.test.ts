import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('prints a real Server-Timing header built from the request’s spans', async () => {
  const { stdout } = await run(process.execPath, ['--import', './tracing.mjs', 'server.mjs', '--once'], {
    cwd: new URL('..', import.meta.url),
    timeout: 30_000,
  });
  const header = /^Server-Timing: (.+)$/m.exec(stdout)?.[1];
  expect(header).toBeDefined();
  const metrics = parseServerTiming(header as string);
  const byName = Object.fromEntries(metrics.map((metric) => [metric.name, metric]));
  expect(byName.postgresql?.description).toBe('2 spans');
  expect(byName.postgresql?.duration).toBeGreaterThanOrEqual(11);
  expect(byName.http?.duration).toBeGreaterThanOrEqual(4);
  expect(byName.total?.duration).toBeGreaterThanOrEqual(byName.postgresql?.duration ?? 0);
  expect(readTraceContext(metrics)?.sampled).toBe(true);
});
