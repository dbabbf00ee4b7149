// The processor's cost on a span's lifecycle in instructions, counted by valgrind's callgrind: unlike the
// time `bench/run.mjs` measures, the count does not change with what else the machine runs.
// Usage: node bench/instructions.mjs [--quick] [--baseline <another checkout's packages/core>]
// (needs valgrind; the baseline must be built: its processor is counted too, for before/after figures)
// Each provider (no processor, a processor that does nothing, ServerTimingSpanProcessor) runs the same request as bench/run.mjs in a
// fresh process twice, for two numbers of requests; the difference over the difference in requests is
// the instructions one request costs once start-up and JIT warm-up are paid (both runs pay them alike).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const quick = process.argv.includes('--quick');
const baselineAt = process.argv.indexOf('--baseline');
const baseline =
  baselineAt === -1
    ? undefined
    : pathToFileURL(join(process.argv[baselineAt + 1] ?? '', 'dist/index.js')).href;
const [SHORT, LONG] = quick ? [2_000, 4_000] : [10_000, 30_000];
const REQUEST = fileURLToPath(new URL('./lifecycle-request.mjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'core-instructions-'));

/** Instructions callgrind counts for a whole run of `requests` requests with `provider`. */
function countRun(provider, requests, core) {
  const out = join(directory, `${provider}.${requests}.${core === undefined ? 'this' : 'baseline'}.out`);
  const args = [REQUEST, provider, String(requests), ...(core === undefined ? [] : [core])];
  execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, ...args], {
    stdio: 'ignore',
  });
  return Number(/^totals:\s+(\d+)/m.exec(readFileSync(out, 'utf8'))?.[1]);
}

try {
  const perRequest = {};
  const count = (provider, core) =>
    (countRun(provider, LONG, core) - countRun(provider, SHORT, core)) / (LONG - SHORT);
  for (const provider of ['bare', 'do-nothing', 'processor']) perRequest[provider] = count(provider);
  if (baseline !== undefined) perRequest.baseline = count('processor', baseline);
  console.log('span lifecycle in instructions (3 spans per request: server + 2 children), per request:');
  console.log(`  no processor              ${perRequest.bare.toFixed(0)}`);
  console.log(
    `  a do-nothing processor    ${perRequest['do-nothing'].toFixed(0)}  (${(perRequest['do-nothing'] / perRequest.bare).toFixed(3)}: the SDK calling one)`,
  );
  console.log(`  ServerTimingSpanProcessor ${perRequest.processor.toFixed(0)}`);
  console.log(
    `  ratio                     ${(perRequest.processor / perRequest.bare).toFixed(3)} (target <= 1.05)`,
  );
  if (baseline !== undefined) {
    console.log(`  baseline's processor      ${perRequest.baseline.toFixed(0)}`);
    console.log(`  baseline's ratio          ${(perRequest.baseline / perRequest.bare).toFixed(3)}`);
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
