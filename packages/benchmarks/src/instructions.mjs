// @ts-check
// Instructions per request, counted by valgrind's callgrind: a second measure of what Server-Timing
// costs, which other processes on the machine do not disturb (they change how long an instruction takes,
// not how many a request executes).
//   pnpm --filter @otel-server-timing/benchmarks bench:instructions [--processes 2] [--windows 3]
//        [--requests 300] [--warmup 400] [--frameworks express,fastify,koa,hono,node]
//        [--configs otel-aa,server-timing] [--nodeArgs --predictable] [--quick]
// Each configuration ((2) OpenTelemetry, (2') the same again, (3) with Server-Timing, as in bench:http)
// runs in fresh processes under `valgrind --tool=callgrind`. After `warmup` requests, each window zeroes
// the counters (`callgrind_control -z`), sends exactly `requests` requests over 4 keep-alive connections,
// and dumps them (`callgrind_control -d`). A process's figure is all its windows' instructions (Ir) over
// all their requests: periodic work (a garbage collection, a batch of exported spans, a JIT compilation
// on a background thread) lands in some windows and not others, so single windows vary by ±20% while
// their sum does not. Ratios are of medians over processes. Slow (valgrind runs Node about 50 times
// slower): about 3 minutes per process on an idle machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './lib/args.mjs';
import { checkServer } from './lib/check-server.mjs';
import { machineLine } from './lib/machine.mjs';
import { startServer } from './lib/server-process.mjs';
import { median } from './lib/stats.mjs';

const options = parseArgs(
  process.argv.slice(2),
  {
    processes: 2,
    windows: 3,
    requests: 500,
    warmup: 1500,
    frameworks: ['express', 'fastify', 'koa', 'hono', 'node'],
    configs: ['otel-aa', 'server-timing'],
    nodeArgs: [],
  },
  { processes: 1, windows: 1, requests: 20, warmup: 20, frameworks: ['node'] },
);
const PATH = '/users/42';
const CONNECTIONS = 4;
/** OpenTelemetry alone (the reference, always run), then the configurations named in --configs. */
const SPECS = [
  { key: 'otel', config: 'otel', label: '(2) OpenTelemetry' },
  ...options.configs.map((key) =>
    key === 'otel-aa'
      ? { key, config: 'otel', label: "(2') OpenTelemetry again (A/A)" }
      : { key, config: key, label: key === 'server-timing' ? '(3) OpenTelemetry + Server-Timing' : key },
  ),
];
const directory = join(tmpdir(), `otel-server-timing-callgrind-${process.pid}`);

/**
 * Sends exactly `count` GET requests over `CONNECTIONS` keep-alive connections, one in flight on each.
 * @param {number} port
 * @param {number} count
 */
async function send(port, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let left = count;
  const loop = async () => {
    while (left > 0) {
      left--;
      await new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: PATH, agent }, (response) => {
            if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}`));
            response.resume();
            response.on('end', resolve);
          })
          .on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  agent.destroy();
}

/**
 * Instructions counted since the last zeroing, from the dump callgrind just wrote for `pid`.
 * @param {number} pid
 */
function dumpedInstructions(pid) {
  const before = new Set(readdirSync(directory));
  execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
  const dump = readdirSync(directory).find((name) => name.startsWith(`cg.${pid}.`) && !before.has(name));
  if (dump === undefined) throw new Error(`callgrind wrote no dump for ${pid}`);
  const totals = /^totals:\s+(\d+)/m.exec(readFileSync(join(directory, dump), 'utf8'));
  if (totals === null) throw new Error(`no totals in ${dump}`);
  return Number(totals[1]);
}

/**
 * One process of `config` under callgrind: its instructions per request over all its windows.
 * @param {string} framework
 * @param {string} config
 */
async function measureProcess(framework, config) {
  const server = await startServer({
    framework,
    config,
    nodeArgs: options.nodeArgs,
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      `--callgrind-out-file=${join(directory, 'cg.%p')}`,
      `--log-file=${join(directory, 'valgrind.%p.log')}`,
    ],
  });
  try {
    await checkServer(server, config, PATH);
    await send(server.port, options.warmup);
    let instructions = 0;
    for (let window = 0; window < options.windows; window++) {
      execFileSync('callgrind_control', ['-z', String(server.pid)], { stdio: 'ignore' });
      await send(server.port, options.requests);
      instructions += dumpedInstructions(server.pid);
    }
    return instructions / (options.windows * options.requests);
  } finally {
    await server.stop();
  }
}

/** @param {string} framework */
async function countFramework(framework) {
  /** @type {number[][]} per spec, per process */
  const counts = SPECS.map(() => []);
  for (let process = 0; process < options.processes; process++) {
    for (let step = 0; step < SPECS.length; step++) {
      const index = (process + step) % SPECS.length;
      const spec = /** @type {(typeof SPECS)[number]} */ (SPECS[index]);
      counts[index]?.push(await measureProcess(framework, spec.config));
    }
  }
  const reference = median(/** @type {number[]} */ (counts[0]));
  console.log(
    `\n${framework}: ${options.processes} processes x ${options.windows} windows x ${options.requests} requests`,
  );
  console.log(`  ${'configuration'.padEnd(36)} ${'instructions/request'.padStart(21)}   vs (2)   processes`);
  for (const [index, spec] of SPECS.entries()) {
    const values = /** @type {number[]} */ (counts[index]);
    const ratio = index === 0 ? '' : (median(values) / reference).toFixed(3);
    const each = values.map((value) => (value / 1000).toFixed(0)).join(', ');
    console.log(
      `  ${spec.label.padEnd(36)} ${median(values).toFixed(0).padStart(21)}   ${ratio.padStart(6)}   ${each} (thousands)`,
    );
  }
}

execFileSync('mkdir', ['-p', directory]);
try {
  console.log(`Instructions per request (valgrind callgrind) on ${machineLine()}`);
  for (const framework of options.frameworks) await countFramework(framework);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
