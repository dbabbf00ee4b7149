// Folding downstream Server-Timing under the zero-code entry: three services, each its own process with
// `--import @otel-server-timing/node/register` and no code of ours, opted in by
// OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS; the edge shows what shipping and, through it, pricing said.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseServerTiming } from '@otel-server-timing/core';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts one service of the chain under the register entry; resolves its origin. */
function startService(env: Record<string, string>): Promise<string> {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', '@otel-server-timing/node/register', 'test/fixtures/chained-service.cjs'],
    {
      cwd: PACKAGE_DIR,
      env: {
        ...inherited,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_NODE_RESOURCE_DETECTORS: 'none',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const [line] = stdout.split('\n');
      if (stdout.includes('\n') && line !== undefined) {
        resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`service exited with ${code}: ${stderr}`)));
  });
}

async function headerNames(origin: string): Promise<string[]> {
  const response = await fetch(`${origin}/quote`);
  expect(await response.text()).toBe('ok');
  return parseServerTiming(response.headers.get('server-timing') ?? '').map((metric) => metric.name);
}

describe('the zero-code entry, three chained services', () => {
  it('folds what each downstream said, two levels deep by default, one with MAX_DEPTH=1', async () => {
    const pricing = await startService({});
    const shipping = await startService({
      NEXT_SERVICE: pricing,
      CLIENT: 'fetch',
      OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS: `pricing=${pricing}`,
    });
    const [edge, shallowEdge, unlistedEdge] = await Promise.all([
      startService({ NEXT_SERVICE: shipping, OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS: `shipping=${shipping}` }),
      startService({
        NEXT_SERVICE: shipping,
        CLIENT: 'fetch',
        OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS: ` shipping = ${shipping} `,
        OTEL_SERVER_TIMING_DOWNSTREAM_MAX_DEPTH: '1',
      }),
      startService({ NEXT_SERVICE: shipping }),
    ]);
    const own = ['postgresql', 'http', 'total', 'traceparent'];
    const fromShipping = ['shipping.postgresql', 'shipping.http', 'shipping.total'];
    const fromPricing = ['shipping.pricing.postgresql', 'shipping.pricing.total'];
    expect((await headerNames(edge)).sort()).toEqual([...own, ...fromShipping, ...fromPricing].sort());
    expect((await headerNames(shallowEdge)).sort()).toEqual([...own, ...fromShipping].sort());
    expect((await headerNames(unlistedEdge)).sort()).toEqual([...own].sort());
  });
});
