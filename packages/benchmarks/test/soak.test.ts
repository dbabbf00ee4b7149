import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const cwd = new URL('..', import.meta.url);
const number = String.raw`-?\d+(?:\.\d+)?`;

// Keeps the soak script working: its short form must run and print its figures. It must also find no
// sampled request object alive after the run (a leak check, not a timing); latency is never asserted.
it('runs the soak test in its short form: figures printed, nothing left behind', async () => {
  const { stdout } = await run(process.execPath, ['--expose-gc', 'src/soak.mjs', '--quick'], {
    cwd,
    timeout: 60_000,
  });
  expect(stdout).toMatch(new RegExp(`heap after the run and GC: ${number} MB`));
  expect(stdout).toMatch(new RegExp(`1-1000\\s+\\d+\\s+${number}\\s+${number}`));
  expect(stdout).toMatch(/sampled request records still alive after GC: 0 of [1-9]\d*/);
  expect(stdout).toMatch(/sampled responses still alive after GC: 0 of [1-9]\d*/);
  expect(stdout).toMatch(new RegExp(`p99 drift: .* = ${number}`));
  expect(stdout).toContain('PASS');
}, 70_000);
