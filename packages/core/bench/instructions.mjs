// The processor's cost on a span's lifecycle in instructions, counted by valgrind's callgrind: unlike the
// time `bench/run.mjs` measures, the count does not change with what else the machine runs.
// Usage: node bench/instructions.mjs [--quick]   (needs valgrind)
// Each provider (no processor, ServerTimingSpanProcessor) runs the same request as bench/run.mjs in a
// fresh process twice, for two numbers of requests; the difference over the difference in requests is
// the instructions one request costs once start-up and JIT warm-up are paid (both runs pay them alike).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');
const [SHORT, LONG] = quick ? [2_000, 4_000] : [20_000, 60_000];
const REQUEST = fileURLToPath(new URL('./lifecycle-request.mjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'core-instructions-'));

/** Instructions callgrind counts for a whole run of `requests` requests with `provider`. */
function countRun(provider, requests) {
  const out = join(directory, `${provider}.${requests}.out`);
  execFileSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      process.execPath,
      REQUEST,
      provider,
      String(requests),
    ],
    { stdio: 'ignore' },
  );
  return Number(/^totals:\s+(\d+)/m.exec(readFileSync(out, 'utf8'))?.[1]);
}

try {
  const perRequest = {};
  for (const provider of ['bare', 'processor']) {
    perRequest[provider] = (countRun(provider, LONG) - countRun(provider, SHORT)) / (LONG - SHORT);
  }
  console.log('span lifecycle in instructions (3 spans per request: server + 2 children), per request:');
  console.log(`  no processor              ${perRequest.bare.toFixed(0)}`);
  console.log(`  ServerTimingSpanProcessor ${perRequest.processor.toFixed(0)}`);
  console.log(
    `  ratio                     ${(perRequest.processor / perRequest.bare).toFixed(3)} (target <= 1.05)`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
