import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

// Keeps the response-properties script working: it must print a figure for every operation on both
// servers. The figures themselves are not asserted.
it('runs the response-properties measurement in its short form', async () => {
  const { stdout } = await run(process.execPath, ['src/response-properties.mjs', '--quick'], {
    cwd: new URL('..', import.meta.url),
    timeout: 30_000,
  });
  for (const operation of ['read a missing symbol property', 'add a symbol property', 'read _header'])
    expect(stdout).toMatch(new RegExp(`${operation}.*?\\s\\d+\\s+\\d+\\n`));
}, 40_000);
