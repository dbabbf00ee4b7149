// @ts-check
// HTTP benchmark: what Server-Timing costs a real Express / Fastify server, against OpenTelemetry alone
// and against the hand-written alternative (the `server-timing` npm middleware).
//   pnpm bench:http [--rounds 40] [--seconds 1] [--warmup 3] [--connections 10]
//                   [--frameworks express,fastify] [--configs none,otel,...] [--baseline dir] [--quick]
// --baseline <dir>: also runs (3) with the packages of another checkout (its packages/ folder, built), as
// one more alternating server: the before/after of a change, measured side by side.
// Each configuration (see server.mjs) runs in its own process pinned to core 1; this load generator
// (autocannon) is pinned to core 0 (PIN=same: core 1 too). Within one framework every round loads every server once, in an order
// rotated round by round; per round the server's CPU time (process.cpuUsage over IPC, read before and
// after) is divided by the requests answered. Figures are medians over rounds; ratios are the medians of
// the per-round ratios. OpenTelemetry alone runs twice (two processes): their ratio is the noise floor.

import { parseArgs } from './lib/args.mjs';
import { checkServer } from './lib/check-server.mjs';
import { runLoad } from './lib/load.mjs';
import { loadLine, machineLine } from './lib/machine.mjs';
import { LOAD_CORE, pinningNote, pinSelf } from './lib/pinning.mjs';
import { startServer } from './lib/server-process.mjs';
import { median, spread } from './lib/stats.mjs';

const options = parseArgs(
  process.argv.slice(2),
  {
    rounds: 40,
    seconds: 1,
    warmup: 3,
    connections: 10,
    frameworks: ['express', 'fastify'],
    configs: [
      'none',
      'otel',
      'otel-aa',
      'otel-noop',
      'server-timing',
      'server-timing-ignored',
      'server-timing-hook',
      'manual',
    ],
    baseline: [],
  },
  { rounds: 1, seconds: 1, warmup: 0, connections: 4 },
);

/**
 * The servers of one framework: the four configurations, OpenTelemetry alone again (A/A control), and
 * diagnostic ones that split (3) into its parts (not run unless named in --configs).
 */
const ALL_SERVERS = [
  { key: 'none', config: 'none', label: '(1) no tracing' },
  { key: 'otel', config: 'otel', label: '(2) OpenTelemetry' },
  { key: 'otel-aa', config: 'otel', label: "(2') OpenTelemetry again (A/A)" },
  { key: 'otel-noop', config: 'otel-noop', label: '(2) + an empty middleware / hook' },
  { key: 'processor-only', config: 'processor-only', label: '(2) + the processor only' },
  { key: 'adapter-only', config: 'adapter-only', label: '(2) + the adapter only' },
  { key: 'server-timing', config: 'server-timing', label: '(3) OpenTelemetry + Server-Timing' },
  { key: 'server-timing-hook', config: 'server-timing-hook', label: "(3') the same, via responseHook" },
  {
    key: 'server-timing-ignored',
    config: 'server-timing-ignored',
    label: "(3'') its layer ignored (Express)",
    only: 'express',
  },
  { key: 'manual', config: 'manual', label: '(4) server-timing middleware' },
];
if (!options.configs.includes('otel')) throw new Error('--configs must include otel: it is the reference');
const baseline = options.baseline[0];
/** @type {{ key: string, config: string, label: string, options?: object, only?: string }[]} */
const SERVERS = ALL_SERVERS.filter((spec) => options.configs.includes(spec.key));
if (baseline !== undefined) {
  SERVERS.push({
    key: 'baseline',
    config: 'server-timing',
    label: '(3) with the baseline packages',
    options: { packages: baseline },
  });
}
const PATH = '/users/42';

/**
 * One round on one server: CPU µs per request and requests per second.
 * @param {import('./lib/server-process.mjs').ServerProcess} server
 * @param {number} seconds
 */
async function measure(server, seconds) {
  const before = await server.call('cpu');
  const load = await runLoad({
    port: server.port,
    path: PATH,
    connections: options.connections,
    duration: seconds,
  });
  const after = await server.call('cpu');
  if (load.failed > 0) throw new Error(`${load.failed} of ${load.requests} requests failed`);
  return { cpu: (after - before) / load.requests, rps: load.requests / load.seconds };
}

/** @param {string} framework */
async function benchmark(framework) {
  const specs = SERVERS.filter((spec) => spec.only === undefined || spec.only === framework);
  const servers = [];
  try {
    for (const spec of specs) {
      const server = await startServer({ framework, config: spec.config, options: spec.options });
      servers.push(server);
      await checkServer(server, spec.config, PATH);
    }
    if (options.warmup > 0) for (const server of servers) await measure(server, options.warmup);
    /** @type {{ cpu: number, rps: number }[][]} per server, per round */
    const results = specs.map(() => []);
    const loads = [];
    for (let round = 0; round < options.rounds; round++) {
      for (let step = 0; step < specs.length; step++) {
        const index = (round + step) % specs.length;
        results[index]?.push(await measure(/** @type {any} */ (servers[index]), options.seconds));
      }
      loads.push(loadLine());
    }
    report(framework, specs, results, loads);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/**
 * @param {string} framework
 * @param {typeof SERVERS} specs the servers of this framework, in the order of `results`
 * @param {{ cpu: number, rps: number }[][]} results
 * @param {string[]} loads
 */
function report(framework, specs, results, loads) {
  const of = (/** @type {string} */ key) =>
    /** @type {{ cpu: number, rps: number }[]} */ (results[specs.findIndex((spec) => spec.key === key)]);
  const perRound = (/** @type {(round: number) => number} */ value) =>
    Array.from({ length: options.rounds }, (_, round) => value(round));
  const at = (/** @type {string} */ key, /** @type {number} */ round) =>
    /** @type {{ cpu: number, rps: number }} */ (of(key)[round]);
  const ratio = (/** @type {string} */ key, /** @type {'cpu' | 'rps'} */ field) =>
    perRound((round) => at(key, round)[field] / at('otel', round)[field]);

  console.log(
    `\n${framework}: ${options.rounds} rounds x ${options.seconds} s per configuration, ${options.connections} connections`,
  );
  console.log(
    `  ${'configuration'.padEnd(36)} ${'req/s'.padStart(8)} ${'CPU µs/req'.padStart(11)}   vs (2): req/s      CPU`,
  );
  for (const [index, spec] of specs.entries()) {
    const rounds = /** @type {{ cpu: number, rps: number }[]} */ (results[index]);
    const rps = median(rounds.map((r) => r.rps));
    const cpu = median(rounds.map((r) => r.cpu));
    const versus =
      spec.key === 'otel'
        ? ''
        : `   ${median(ratio(spec.key, 'rps')).toFixed(3)}    ${median(ratio(spec.key, 'cpu')).toFixed(3)}`;
    console.log(
      `  ${spec.label.padEnd(36)} ${rps.toFixed(0).padStart(8)} ${cpu.toFixed(1).padStart(11)}${versus}`,
    );
  }
  const has = (/** @type {string[]} */ ...keys) => keys.every((key) => options.configs.includes(key));
  if (has('server-timing')) {
    const throughput = ratio('server-timing', 'rps');
    const cpu = ratio('server-timing', 'cpu');
    console.log(
      `  (3)/(2) throughput ${median(throughput).toFixed(3)} (target >= 0.97; rounds ${spread(throughput, 3)})`,
    );
    console.log(`  (3)/(2) CPU per request ${median(cpu).toFixed(3)} (rounds ${spread(cpu, 3)})`);
  }
  if (baseline !== undefined && has('server-timing')) {
    const versus = perRound((round) => at('server-timing', round).cpu / at('baseline', round).cpu);
    console.log(
      `  (3) now / (3) with the baseline packages, CPU per request: ${median(versus).toFixed(3)} (rounds ${spread(versus, 3)})`,
    );
  }
  if (has('otel-aa')) {
    const controlRps = ratio('otel-aa', 'rps');
    const controlCpu = ratio('otel-aa', 'cpu');
    console.log(
      `  A/A control (2')/(2): throughput ${median(controlRps).toFixed(3)} (rounds ${spread(controlRps, 3)}), CPU ${median(controlCpu).toFixed(3)} (rounds ${spread(controlCpu, 3)})`,
    );
  }
  if (has('none', 'server-timing', 'manual')) {
    const ours = perRound((round) => at('server-timing', round).cpu - at('otel', round).cpu);
    const byHand = perRound((round) => at('manual', round).cpu - at('none', round).cpu);
    const margin = perRound(
      (round) => /** @type {number} */ (byHand[round]) - /** @type {number} */ (ours[round]),
    );
    console.log(
      `  CPU added per request: Server-Timing from spans (3)-(2) ${median(ours).toFixed(1)} µs, by hand (4)-(1) ${median(byHand).toFixed(1)} µs` +
        ` -> (3)-(2) <= (4)-(1): ${median(margin) >= 0 ? 'yes' : 'no'} (median margin ${median(margin).toFixed(1)} µs)`,
    );
  }
  console.log(`  load average after each round: ${loads.join(' | ')}`);
}

pinSelf(LOAD_CORE);
console.log(`HTTP benchmark on ${machineLine()}; ${pinningNote()}`);
console.log(`load average at start: ${loadLine()}`);
for (const framework of options.frameworks) await benchmark(framework);
