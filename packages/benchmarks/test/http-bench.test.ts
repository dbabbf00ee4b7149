import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const cwd = new URL('..', import.meta.url);
const number = String.raw`-?\d+(?:\.\d+)?`;
const interval = String.raw`${number} \[${number}, ${number}\]`;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Keeps the HTTP benchmark working: its short form must run and print every figure. How fast anything
// is, is never asserted here (see BENCHMARKS.md for the figures).

it('runs the HTTP benchmark in its short form and prints every figure, with its interval', async () => {
  const { stdout } = await run(process.execPath, ['src/http-bench.mjs', '--quick'], {
    cwd,
    timeout: 240_000,
  });
  const frameworks = ['express', 'fastify', 'koa', 'hono', 'node', 'zero-code'];
  for (const framework of frameworks) {
    const section = stdout.slice(stdout.indexOf(`\n${framework}:`));
    const labels =
      framework === 'zero-code'
        ? ['(2) auto-instrumentations-node/register', '(3) @otel-server-timing/node/register']
        : ['(2) OpenTelemetry', '(3) OpenTelemetry + Server-Timing'];
    for (const label of labels) expect(section).toMatch(new RegExp(`${literal(label)}\\s+\\d+\\s+${number}`));
    expect(section).toMatch(
      new RegExp(`\\(3\\)/\\(2\\) CPU per request ${interval} \\(target <= 1.03\\); A/A control ${interval}`),
    );
  }
  const table = stdout.slice(stdout.indexOf('\nServer CPU per request'));
  for (const framework of frameworks) {
    expect(table).toMatch(
      new RegExp(
        `\\| ${literal(framework)} \\| ${interval} \\| ${interval} \\| ${number} \\(${number} → ${number}\\) \\| (met|not met|not resolved) \\|`,
      ),
    );
  }
}, 300_000);
