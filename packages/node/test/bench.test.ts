import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Keeps the benchmark script working: it must run and print its figures. How fast is not asserted here.
it('runs the node benchmark in its short form', async () => {
  const { stdout } = await run(process.execPath, ['bench/run.mjs', '--quick'], {
    cwd: new URL('..', import.meta.url),
    timeout: 90_000,
  });
  for (const server of [
    'OpenTelemetry alone (A/A)',
    '+ ServerTimingSpanProcessor',
    '+ processor + responseHook',
  ])
    expect(stdout).toMatch(new RegExp(`${literal(server)}\\s+\\d+\\.\\d µs\\s+median ratio \\d+\\.\\d{3}`));
  for (const line of ['without Server-Timing', 'attach + header', 'difference'])
    expect(stdout).toMatch(new RegExp(`${literal(line)}\\s+-?\\d+ ns`));
}, 90_000);
