import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const built =
  existsSync(new URL('../dist/index.js', import.meta.url)) &&
  existsSync(new URL('../dist/index.cjs', import.meta.url));

/** Runs a consumer script from the package folder, where `@otel-server-timing/hono` resolves to the built package itself. */
async function headersFrom(script: string): Promise<[string, string]> {
  const { stdout } = await run(
    process.execPath,
    [fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url))],
    {
      cwd: packageDir,
    },
  );
  return JSON.parse(stdout);
}

const TIMINGS =
  /^(?:[a-z]+;dur=[\d.]+, )*total;dur=[\d.]+, traceparent;desc="00-[0-9a-f]{32}-[0-9a-f]{16}-01"$/;

describe.runIf(built)('the built package', () => {
  it('works for an ESM consumer', async () => {
    const [fromApp, fromWrapper] = await headersFrom('consumer.mjs');
    expect(fromApp).toMatch(/^esm;dur=1, total;dur=[\d.]+, traceparent;desc="00-/);
    expect(fromWrapper).toMatch(TIMINGS);
  });

  it('works for a CommonJS consumer', async () => {
    const [fromApp, fromWrapper] = await headersFrom('consumer.cjs');
    expect(fromApp).toMatch(/^cjs;dur=1, total;dur=[\d.]+, traceparent;desc="00-/);
    expect(fromWrapper).toMatch(TIMINGS);
  });
});

it('has been built (run `pnpm --filter @otel-server-timing/hono build` first)', () => {
  expect(built).toBe(true);
});
