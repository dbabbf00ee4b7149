import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

// Keeps the benchmark script working: it must run and print its figures. How fast is not asserted here.
it('runs the core benchmark in its short form', async () => {
  const { stdout } = await run(process.execPath, ['bench/run.mjs', '--quick'], {
    cwd: new URL('..', import.meta.url),
    timeout: 60_000,
  });
  expect(stdout).toMatch(/median ratio\s+\d+\.\d{3}/);
  for (const count of [5, 20, 100])
    expect(stdout).toMatch(new RegExp(`${count} metrics\\s+\\d+\\.\\d{2} µs`));
}, 60_000);

// Keeps the allocation benchmark working: it must print a figure for each request shape. No figure is
// asserted (they belong to the engine), only that the processor's is there.
it('runs the allocation benchmark', async () => {
  const { stdout } = await run(process.execPath, ['bench/allocation.mjs'], {
    cwd: new URL('..', import.meta.url),
    timeout: 300_000,
  });
  for (const shape of ['core-bench', 'express']) expect(stdout).toContain(`${shape} (`);
  expect(stdout.match(/ServerTimingSpanProcessor \d+ {2}\(\+\d+\)/g)).toHaveLength(2);
}, 300_000);
