// @ts-check
// HTTP benchmark: what Server-Timing costs a real server, against OpenTelemetry alone in the same run,
// in the quick-start setup of each framework, and against the hand-written alternative (the
// `server-timing` npm middleware).
//   pnpm bench:http [--blocks 12] [--rounds 2] [--seconds 1] [--warmup 3] [--connections 10]
//                   [--frameworks express,fastify,koa,hono,node,zero-code] [--configs otel,otel-aa,server-timing]
//                   [--baseline dir] [--quick]
// The defaults are the targets' run (about 20 minutes on 2 cores): each server in its quick-start setup
// against OpenTelemetry alone, with the A/A control, and a table for BENCHMARKS.md at the end. Blocks
// are what narrows the interval (processes differ more than rounds within one do), so the rounds are few.
// The by-hand comparison adds `none` and `manual`: --configs none,otel,otel-aa,server-timing,manual.
// Method (BENCHMARKS.md says why): the run is a series of blocks. Each block starts a fresh process for
// every configuration (in an order rotated block by block), checks it, warms each up, then loads them
// in rounds, every server once per round in a rotated order, and stops them all. A block's figure for a
// server is the median over its rounds; its ratio is that figure over OpenTelemetry's (2) in the same
// block. The estimate is the geometric mean of the blocks' ratios, with a 95% bootstrap interval over
// blocks: processes differ from one another (their layout and JIT decisions), and only fresh processes
// show by how much. OpenTelemetry alone runs twice per block (two processes): the A/A control.
// Servers and this load generator (autocannon) are pinned to core 1 (PIN=apart: the load generator to 0).
// --baseline <dir>: also runs (3) with the packages of another checkout (its packages/ folder, built).

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from './lib/args.mjs';
import { checkServer } from './lib/check-server.mjs';
import { runLoad } from './lib/load.mjs';
import { loadLine, machineLine } from './lib/machine.mjs';
import { LOAD_CORE, pinningNote, pinSelf } from './lib/pinning.mjs';
import { startServer } from './lib/server-process.mjs';
import { bootstrapInterval, geometricMean, median } from './lib/stats.mjs';

const options = parseArgs(
  process.argv.slice(2),
  {
    blocks: 12,
    rounds: 2,
    seconds: 1,
    // Seconds of load per process before its rounds: with 1, the JIT compiler still worked in the rounds
    // (more so with Server-Timing, whose code is compiled later), most on Express (~5,000 requests a second).
    warmup: 3,
    connections: 10,
    frameworks: ['express', 'fastify', 'koa', 'hono', 'node', 'zero-code'],
    configs: ['otel', 'otel-aa', 'server-timing'],
    baseline: [],
  },
  {
    blocks: 2,
    rounds: 1,
    seconds: 0.3,
    warmup: 0,
    connections: 4,
    configs: ['otel', 'otel-aa', 'server-timing'],
  },
);

/**
 * The servers of a framework: the four configurations, OpenTelemetry alone again (A/A control), and
 * diagnostic ones (not run unless named in --configs). `frameworks` limits one to some frameworks.
 * @typedef {{ key: string, config: string, label: string, options?: object, frameworks?: string[] }} Spec
 * @type {Spec[]}
 */
const ALL_SERVERS = [
  { key: 'none', config: 'none', label: '(1) no tracing' },
  { key: 'otel', config: 'otel', label: '(2) OpenTelemetry' },
  { key: 'otel-aa', config: 'otel', label: "(2') OpenTelemetry again (A/A)" },
  { key: 'otel-noop', config: 'otel-noop', label: '(2) + an empty middleware / hook' },
  { key: 'otel-header', config: 'otel-header', label: '(2) + a hook setting a constant header' },
  {
    key: 'otel-untraced-noop',
    config: 'otel-untraced-noop',
    label: '(2) + untraced empty hook/middleware',
    frameworks: ['fastify', 'koa'],
  },
  {
    key: 'otel-untraced-header',
    config: 'otel-untraced-header',
    label: '(2) + untraced hook, constant header',
    frameworks: ['fastify', 'koa'],
  },
  { key: 'processor-only', config: 'processor-only', label: '(2) + the processor only' },
  { key: 'adapter-only', config: 'adapter-only', label: '(2) + the adapter only' },
  { key: 'intercept-only', config: 'intercept-only', label: '(2) + processor + interception' },
  { key: 'attach-empty', config: 'attach-empty', label: '… + adapter attached, empty header' },
  { key: 'attach-const', config: 'attach-const', label: '… + adapter attached, constant header' },
  { key: 'server-timing', config: 'server-timing', label: '(3) OpenTelemetry + Server-Timing' },
  { key: 'server-timing-hook', config: 'server-timing-hook', label: "(3') the same, via responseHook" },
  {
    key: 'server-timing-ignored',
    config: 'server-timing-ignored',
    label: "(3'') its layer ignored (Express)",
    frameworks: ['express'],
  },
  {
    key: 'manual',
    config: 'manual',
    label: '(4) server-timing middleware',
    frameworks: ['express', 'fastify', 'koa', 'node'],
  },
];
/** The zero-code entry against the upstream one: each a `--import` of a plain node:http app. */
const ZERO_CODE_SERVERS = [
  { key: 'otel', config: 'upstream', label: '(2) auto-instrumentations-node/register' },
  { key: 'otel-aa', config: 'upstream', label: "(2') the same again (A/A)" },
  { key: 'server-timing', config: 'server-timing', label: '(3) @otel-server-timing/node/register' },
];
const ENTRY = {
  upstream: '@opentelemetry/auto-instrumentations-node/register',
  'server-timing': '@otel-server-timing/node/register',
};
if (!options.configs.includes('otel')) throw new Error('--configs must include otel: it is the reference');
const knownConfigs = new Set([...ALL_SERVERS, ...ZERO_CODE_SERVERS].map((spec) => spec.key));
const unknownConfigs = options.configs.filter((key) => !knownConfigs.has(key));
if (unknownConfigs.length > 0)
  throw new Error(`unknown --configs ${unknownConfigs.join(', ')}; known: ${[...knownConfigs].join(', ')}`);
const baseline = options.baseline[0];
const PATH = '/users/42';
const require = createRequire(import.meta.url);

/**
 * The servers measured for `framework`.
 * @param {string} framework
 * @returns {Spec[]}
 */
function specsFor(framework) {
  if (framework === 'zero-code') {
    return ZERO_CODE_SERVERS.filter((spec) => options.configs.includes(spec.key));
  }
  const specs = ALL_SERVERS.filter(
    (spec) =>
      options.configs.includes(spec.key) &&
      (spec.frameworks === undefined || spec.frameworks.includes(framework)),
  );
  if (baseline !== undefined) {
    specs.push({
      key: 'baseline',
      config: 'server-timing',
      label: '(3) with the baseline packages',
      options: { packages: baseline },
    });
  }
  return specs;
}

/**
 * A sink for the zero-code servers' OTLP exports: answers every request with 200 and an empty body.
 * @returns {Promise<{ url: string, close: () => void }>}
 */
function startOtlpSink() {
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end());
  });
  return new Promise((resolve) => {
    sink.listen(0, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (sink.address());
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => sink.close() });
    });
  });
}

/**
 * How to start the server of `spec`.
 * @param {string} framework
 * @param {Spec} spec
 * @param {string | undefined} sinkUrl
 */
function serverSpec(framework, spec, sinkUrl) {
  if (framework !== 'zero-code') return { framework, config: spec.config, options: spec.options };
  const entry = require.resolve(/** @type {Record<string, string>} */ (ENTRY)[spec.config] ?? '');
  return {
    framework,
    config: spec.config,
    nodeArgs: ['--import', new URL(`file://${entry}`).href],
    env: {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sinkUrl}/v1/traces`,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'benchmark',
      // No cloud look-ups at start (they time out here and only warn).
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
    },
  };
}

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

/**
 * One block: fresh processes for every spec, checked, warmed up, then measured in rotated rounds.
 * Returns each server's median CPU per request and requests per second over the block's rounds.
 * @param {string} framework
 * @param {Spec[]} specs
 * @param {number} block
 * @param {string | undefined} sinkUrl
 */
async function runBlock(framework, specs, block, sinkUrl) {
  const count = specs.length;
  /** @type {(import('./lib/server-process.mjs').ServerProcess | undefined)[]} */
  const servers = new Array(count);
  try {
    for (let step = 0; step < count; step++) {
      const index = (block + step) % count;
      const spec = /** @type {Spec} */ (specs[index]);
      const server = await startServer(serverSpec(framework, spec, sinkUrl));
      servers[index] = server;
      await checkServer(server, spec.config, PATH);
    }
    const started = /** @type {import('./lib/server-process.mjs').ServerProcess[]} */ (servers);
    if (options.warmup > 0) for (const server of started) await measure(server, options.warmup);
    /** @type {{ cpu: number, rps: number }[][]} */
    const rounds = specs.map(() => []);
    for (let round = 0; round < options.rounds; round++) {
      for (let step = 0; step < count; step++) {
        const index = (block + round + step) % count;
        rounds[index]?.push(await measure(/** @type {any} */ (started[index]), options.seconds));
      }
    }
    return rounds.map((results) => ({
      cpu: median(results.map((result) => result.cpu)),
      rps: median(results.map((result) => result.rps)),
    }));
  } finally {
    await Promise.all(servers.map((server) => server?.stop()));
  }
}

/**
 * `1.023 [1.004, 1.041]`: the geometric mean of per-block ratios and its 95% bootstrap interval.
 * @param {number[]} ratios
 */
function withInterval(ratios) {
  const [low, high] = bootstrapInterval(ratios, geometricMean);
  return `${geometricMean(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`;
}

/** @type {{ framework: string, target: string, control: string, added: string, met: string }[]} */
const summary = [];

/** @param {string} framework */
async function benchmark(framework) {
  const specs = specsFor(framework);
  const sink = framework === 'zero-code' ? await startOtlpSink() : undefined;
  /** @type {{ cpu: number, rps: number }[][]} per block, per spec */
  const blocks = [];
  const loads = [];
  try {
    for (let block = 0; block < options.blocks; block++) {
      blocks.push(await runBlock(framework, specs, block, sink?.url));
      loads.push(loadLine());
    }
  } finally {
    sink?.close();
  }
  report(framework, specs, blocks, loads);
}

/**
 * @param {string} framework
 * @param {Spec[]} specs
 * @param {{ cpu: number, rps: number }[][]} blocks
 * @param {string[]} loads
 */
function report(framework, specs, blocks, loads) {
  const indexOf = (/** @type {string} */ key) => specs.findIndex((spec) => spec.key === key);
  const has = (/** @type {string[]} */ ...keys) => keys.every((key) => indexOf(key) !== -1);
  const reference = indexOf('otel');
  /** Per-block values of one server. */
  const values = (/** @type {string} */ key, /** @type {'cpu' | 'rps'} */ field) =>
    blocks.map((block) => /** @type {{ cpu: number, rps: number }} */ (block[indexOf(key)])[field]);
  /** Per-block ratios of one server to (2). */
  const ratios = (/** @type {string} */ key, /** @type {'cpu' | 'rps'} */ field) =>
    blocks.map(
      (block) =>
        /** @type {{ cpu: number, rps: number }} */ (block[indexOf(key)])[field] /
        /** @type {{ cpu: number, rps: number }} */ (block[reference])[field],
    );

  console.log(
    `\n${framework}: ${options.blocks} blocks of fresh processes x ${options.rounds} rounds x ${options.seconds} s, ${options.connections} connections`,
  );
  console.log(
    `  ${'configuration'.padEnd(42)} ${'req/s'.padStart(7)} ${'CPU µs/req'.padStart(11)}   CPU vs (2) [95% interval]   req/s vs (2)`,
  );
  for (const spec of specs) {
    const rps = median(values(spec.key, 'rps'));
    const cpu = median(values(spec.key, 'cpu'));
    const versus =
      spec.key === 'otel'
        ? ''
        : `   ${withInterval(ratios(spec.key, 'cpu')).padEnd(24)}   ${geometricMean(ratios(spec.key, 'rps')).toFixed(3)}`;
    console.log(
      `  ${spec.label.padEnd(42)} ${rps.toFixed(0).padStart(7)} ${cpu.toFixed(1).padStart(11)}${versus}`,
    );
  }
  if (has('server-timing')) {
    const targetRatios = ratios('server-timing', 'cpu');
    const target = withInterval(targetRatios);
    const control = has('otel-aa') ? withInterval(ratios('otel-aa', 'cpu')) : 'not run';
    console.log(`  (3)/(2) CPU per request ${target} (target <= 1.03); A/A control ${control}`);
    if (has('otel-aa')) {
      // The interval narrows with the square root of the number of blocks (processes differ, rounds don't).
      const [low, high] = bootstrapInterval(ratios('otel-aa', 'cpu'), geometricMean);
      const halfWidth = (high - low) / 2;
      const needed = Math.ceil(options.blocks * (halfWidth / 0.015) ** 2);
      console.log(
        `  A/A half-width ±${(halfWidth * 100).toFixed(1)}%: ±1.5% takes about ${needed} blocks at this spread`,
      );
    }
    const reference = values('otel', 'cpu');
    const added = values('server-timing', 'cpu').map(
      (value, block) => value - /** @type {number} */ (reference[block]),
    );
    const [low, high] = bootstrapInterval(targetRatios, geometricMean);
    const met = high <= 1.03 ? 'met' : low > 1.03 ? 'not met' : 'not resolved';
    summary.push({
      framework,
      target,
      control,
      added: `${median(added).toFixed(1)} (${median(reference).toFixed(1)} → ${median(values('server-timing', 'cpu')).toFixed(1)})`,
      met,
    });
  }
  if (baseline !== undefined && has('server-timing', 'baseline')) {
    const versus = blocks.map(
      (block) =>
        /** @type {{ cpu: number }} */ (block[indexOf('server-timing')]).cpu /
        /** @type {{ cpu: number }} */ (block[indexOf('baseline')]).cpu,
    );
    console.log(`  (3) now / (3) with the baseline packages, CPU per request: ${withInterval(versus)}`);
  }
  if (has('none', 'server-timing', 'manual')) {
    /** Per-block differences in CPU per request, `a` minus `b`. */
    const minus = (/** @type {string} */ a, /** @type {string} */ b) => {
      const subtrahends = values(b, 'cpu');
      return values(a, 'cpu').map((value, block) => value - /** @type {number} */ (subtrahends[block]));
    };
    const ours = minus('server-timing', 'otel');
    const byHand = minus('manual', 'none');
    const margins = byHand.map((value, block) => value - /** @type {number} */ (ours[block]));
    const mean = (/** @type {readonly number[]} */ list) =>
      list.reduce((sum, value) => sum + value, 0) / list.length;
    const [low, high] = bootstrapInterval(margins, mean);
    console.log(
      `  CPU added per request: Server-Timing from spans (3)-(2) ${mean(ours).toFixed(1)} µs, by hand (4)-(1) ${mean(byHand).toFixed(1)} µs` +
        ` -> (3)-(2) <= (4)-(1): ${low >= 0 ? 'yes' : high < 0 ? 'no' : 'not resolved'} (margin ${mean(margins).toFixed(1)} µs [${low.toFixed(1)}, ${high.toFixed(1)}])`,
    );
  }
  console.log(`  load average after each block: ${loads.join(' | ')}`);
}

pinSelf(LOAD_CORE);
console.log(`HTTP benchmark on ${machineLine()}; ${pinningNote()}`);
console.log(`load average at start: ${loadLine()}`);
for (const framework of options.frameworks) await benchmark(framework);
// Ready for BENCHMARKS.md: one row per framework.
console.log(`\nServer CPU per request, ${machineLine()}, load average at the end ${loadLine()}:`);
console.log(`command: pnpm bench:http ${process.argv.slice(2).join(' ')}`.trimEnd());
console.log(
  "| server | (3)/(2) [95% interval] | A/A (2')/(2) [95% interval] | µs/request added (2 → 3) | ≤ 1.03 |",
);
console.log('| --- | --- | --- | --- | --- |');
for (const { framework, target, control, added, met } of summary) {
  console.log(`| ${framework} | ${target} | ${control} | ${added} | ${met} |`);
}
