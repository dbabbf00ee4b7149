import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const cwd = new URL('..', import.meta.url);
const number = String.raw`-?\d+(?:\.\d+)?`;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Keeps the HTTP benchmark working: its short form must run and print every figure. How fast anything
// is, is never asserted here (see BENCHMARKS.md for the figures).

it('runs the HTTP benchmark in its short form and prints every figure', async () => {
  const { stdout } = await run(process.execPath, ['src/http-bench.mjs', '--quick'], { cwd, timeout: 80_000 });
  for (const framework of ['express', 'fastify']) {
    const section = stdout.slice(stdout.indexOf(`\n${framework}:`));
    for (const label of [
      '(1) no tracing',
      '(2) OpenTelemetry',
      "(2') OpenTelemetry again (A/A)",
      '(3) OpenTelemetry + Server-Timing',
      "(3') the same, via responseHook",
      '(4) server-timing middleware',
    ]) {
      expect(section).toMatch(new RegExp(`${literal(label)}\\s+\\d+\\s+${number}`));
    }
    expect(section).toMatch(new RegExp(`\\(3\\)/\\(2\\) throughput ${number}`));
    expect(section).toMatch(new RegExp(`\\(3\\)/\\(2\\) CPU per request ${number}`));
    expect(section).toMatch(new RegExp(`A/A control \\(2'\\)/\\(2\\): throughput ${number}`));
    expect(section).toMatch(/\(3\)-\(2\) <= \(4\)-\(1\): (yes|no)/);
  }
}, 90_000);
