import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/startup-times.mjs', import.meta.url));

// Keeps the start-up benchmark runnable; its figures are read, never asserted.
it('bench:startup prints a row of figures for each configuration', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, '--rounds', '1', '--nodes', '20']);
  const rows = stdout.split('\n').filter((line) => /^\| (plain|upstream|ours)/.test(line));
  expect(rows.map((row) => row.split('|')[1]?.trim())).toEqual([
    'plain node',
    'upstream --require',
    'upstream + ESM loader',
    'ours --import',
    'ours --require',
  ]);
  for (const row of rows) expect(row).toMatch(/^\|[^|]+\| \d+ \| \d+–\d+ \| \d+–\d+ \| \d+ \| \d+–\d+ \|$/);
});
