// The response path's cost in instructions, counted by valgrind's callgrind: what attach, the interception
// and the header add to one node:http response, and what Node's own work for one more header is, in a
// figure that does not change with what else the machine runs.
// Usage: node bench/instructions.mjs [--quick] [--processes N] [--form set-header|write-head]
//        [--baseline <another checkout's packages folder, built>]
// For each way of writing the response (bench/response-path.mjs: `set-header` as node:http, Express and
// Koa do, `write-head` with a headers object as Fastify and @hono/node-server do) and each configuration
// (OpenTelemetry with the processor; + a constant Server-Timing header; + NodeServerTiming; and, with
// --baseline, NodeServerTiming and the processor of that checkout), one process under callgrind runs a
// warm-up, then windows of requests, each counted on its own (`callgrind_control -z` before, `-d` after).
// The median window over its requests is the process's figure; with --processes, the median process.
// With the whole SDK in the process, windows and processes of the same code differ by several thousand
// instructions (the JIT and the garbage collector decide differently): use --processes 3 or more, and
// trust only differences larger than that.
import { fileURLToPath } from 'node:url';
import { medianWindow } from '../../../tools/callgrind/windows.mjs';

const option = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const quick = process.argv.includes('--quick');
const baseline = option('--baseline');
const forms = option('--form') === undefined ? ['set-header', 'write-head'] : [option('--form')];
const PROCESSES = Number(option('--processes') ?? 1);
const [WARM_UP, WINDOW, WINDOWS] = quick ? [3_000, 1_000, 3] : [10_000, 3_000, 3];
/** Compile and collect garbage on the main thread, with fixed seeds (as core's bench/instructions.mjs). */
const DETERMINISTIC = ['--single-threaded', '--hash-seed=42', '--random-seed=42'];
const CHILD = fileURLToPath(new URL('./response-path.mjs', import.meta.url));

/** The median instructions per response of one configuration over the windows of one process. */
async function countProcess(config, form, packages) {
  const spec = {
    script: CHILD,
    args: [config, form, String(WARM_UP), String(WINDOW), ...(packages ? [packages] : [])],
    nodeArgs: DETERMINISTIC,
    label: `${config} ${form}`,
  };
  return (await medianWindow(spec, WINDOWS, WINDOW)).median;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const CONFIGS = [
  ['otel', 'OpenTelemetry + processor'],
  ['constant', '+ a constant Server-Timing'],
  ['server-timing', '+ NodeServerTiming'],
  ...(baseline === undefined ? [] : [['server-timing', "+ the baseline's NodeServerTiming", baseline]]),
];
for (const form of forms) {
  const counts = CONFIGS.map(() => []);
  // Processes of the configurations take turns, so a slower stretch of valgrind falls on all alike.
  for (let round = 0; round < PROCESSES; round++) {
    for (const [index, [config, , packages]] of CONFIGS.entries()) {
      counts[index]?.push(await countProcess(config, form, packages));
    }
  }
  const figures = counts.map(median);
  const reference = figures[0] ?? Number.NaN;
  console.log(`${form}: instructions per response (${PROCESSES} process(es), median of ${WINDOWS} windows)`);
  for (const [index, [, label]] of CONFIGS.entries()) {
    const figure = figures[index] ?? Number.NaN;
    const over = index === 0 ? '' : `  +${(figure - reference).toFixed(0)} over OpenTelemetry`;
    console.log(`  ${label.padEnd(36)} ${figure.toFixed(0).padStart(8)}${over}`);
  }
}
