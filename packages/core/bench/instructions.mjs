// The processor's cost on a span's lifecycle in instructions, counted by valgrind's callgrind: unlike the
// time `bench/run.mjs` measures, the count does not change with what else the machine runs.
// Usage: node bench/instructions.mjs [--quick] [--windows] [--processes N] [--shape core-bench|express]
//        [--baseline <another checkout's packages/core>]
// (--windows: also print each window's figure; --processes: N processes a configuration, median shown)
// (needs valgrind; the baseline must be built: its processor is counted too, for before/after figures)
// For each request shape (bench/lifecycle-request.mjs: the core benchmark's 3 spans, and the 7 spans of an
// Express request under instrumentation-express) and each provider (no processor, a processor that does
// nothing, ServerTimingSpanProcessor), one process under callgrind runs a warm-up, then windows of
// requests, each counted on its own (`callgrind_control -z` before, `-d` after). A window's count over its
// requests is what one request costs once start-up and JIT warm-up are paid; the median window is shown.
// Node runs with the V8 flags of DETERMINISTIC, which narrow the spread between two processes of the same
// code (each compiles and collects garbage its own way, as its background threads and hash seed happen to
// go); what remains is up to about 2%: use --processes 3 (or more) to compare figures that close.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { medianWindow } from '../../../tools/callgrind/windows.mjs';
import { SHAPES } from './request-shapes.mjs';

const option = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const quick = process.argv.includes('--quick');
const baselineDirectory = option('--baseline');
const baseline =
  baselineDirectory === undefined ? undefined : pathToFileURL(join(baselineDirectory, 'dist/index.js')).href;
const shapes = option('--shape') === undefined ? Object.keys(SHAPES) : [option('--shape')];
if (!shapes.every((shape) => shape in SHAPES)) {
  throw new Error(`--shape: one of ${Object.keys(SHAPES).join(', ')}`);
}
const PROCESSES = Number(option('--processes') ?? 1);
const [WARM_UP, WINDOW, WINDOWS] = quick ? [3_000, 1_000, 3] : [10_000, 5_000, 3];
/**
 * Compile and collect garbage on the main thread, with fixed seeds. (A young generation of fixed size made
 * processes agree better still, but it changes the garbage collector's behaviour: with it, objects of
 * finished requests were promoted and kept until the next full collection, which the default sizing does
 * not do.)
 */
const DETERMINISTIC = ['--single-threaded', '--hash-seed=42', '--random-seed=42'];
const REQUEST = fileURLToPath(new URL('./lifecycle-request.mjs', import.meta.url));

/** The median instructions per request of `shape` with `provider` over the windows of one process. */
async function countProcess(provider, shape, core) {
  const { median: perRequest, figures } = await medianWindow(
    {
      script: REQUEST,
      args: [provider, shape, String(WARM_UP), String(WINDOW), ...(core === undefined ? [] : [core])],
      nodeArgs: DETERMINISTIC,
      label: `${provider} ${shape}`,
    },
    WINDOWS,
    WINDOW,
  );
  if (process.argv.includes('--windows')) {
    const windows = figures.map((each) => each.toFixed(0)).join(', ');
    console.log(`  (${provider}${core === undefined ? '' : ' (baseline)'}: windows ${windows})`);
  }
  return perRequest;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const ratio = (a, b) => (a / b).toFixed(3);
for (const shape of shapes) {
  const configs = [
    ['bare'],
    ['do-nothing'],
    ['processor'],
    ...(baseline === undefined ? [] : [['processor', baseline]]),
  ];
  const counts = configs.map(() => []);
  // Processes of the configurations take turns, so that a slower stretch of the machine or of valgrind
  // falls on all of them alike.
  for (let round = 0; round < PROCESSES; round++) {
    for (const [index, [provider, core]] of configs.entries()) {
      counts[index]?.push(await countProcess(provider, shape, core));
    }
  }
  const [bare, doNothing, ours, before] = counts.map(median);
  const over = (value) => `+${(value - doNothing).toFixed(0)} over do-nothing`;
  console.log(`${shape} (${SHAPES[shape].spans} spans: ${SHAPES[shape].says}), instructions per request:`);
  console.log(`  no processor              ${bare.toFixed(0)}`);
  console.log(
    `  a do-nothing processor    ${doNothing.toFixed(0)}  (${ratio(doNothing, bare)}: the SDK calling one)`,
  );
  console.log(`  ServerTimingSpanProcessor ${ours.toFixed(0)}  (${over(ours)})`);
  console.log(`  ratio to no processor     ${ratio(ours, bare)} (issue 15's target <= 1.05)`);
  console.log(`  ratio to do-nothing       ${ratio(ours, doNothing)} (this processor's own work)`);
  if (before !== undefined) {
    console.log(`  baseline's processor      ${before.toFixed(0)}  (${over(before)})`);
    console.log(
      `  baseline's ratios         ${ratio(before, bare)} to no processor, ${ratio(before, doNothing)} to do-nothing`,
    );
  }
}
