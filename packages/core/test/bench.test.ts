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
