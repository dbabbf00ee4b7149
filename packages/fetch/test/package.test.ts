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

/** Runs a consumer script from the package folder, where `@otel-server-timing/fetch` resolves to the built package itself. */
async function headerFrom(script: string): Promise<string> {
  const fixture = fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url));
  const { stdout } = await run(process.execPath, [fixture], { cwd: packageDir });
  return JSON.parse(stdout);
}

describe.runIf(built)('the built package', () => {
  it('works for an ESM consumer', async () => {
    expect(await headerFrom('consumer.mjs')).toMatch(
      /^esm;dur=1, total;dur=[\d.]+, traceparent;desc="00-[0-9a-f]{32}-[0-9a-f]{16}-01"$/,
    );
  });

  it('works for a CommonJS consumer', async () => {
    expect(await headerFrom('consumer.cjs')).toMatch(
      /^cjs;dur=1, total;dur=[\d.]+, traceparent;desc="00-[0-9a-f]{32}-[0-9a-f]{16}-01"$/,
    );
  });
});

it('has been built (run `pnpm --filter @otel-server-timing/fetch build` first)', () => {
  expect(built).toBe(true);
});
