#!/usr/bin/env node
// Start-up time of an app under plain node, under the upstream entry
// (`--require @opentelemetry/auto-instrumentations-node/register`, alone and with OpenTelemetry's ESM loader
// flag) and under ours (`--import` and
// `--require @otel-server-timing/node/register`), on Node 20, 22 and 24: the time from spawning node to the
// app's "listening" line, for the Express 5 ESM app of the suite. Configurations alternate within each round
// (order rotated every round), so a busy machine slows all of them alike; prints the median and the
// 25th–75th percentiles and min–max of each. Also the CPU time the process has used by then (user + system,
// all its threads, from /proc on Linux): less sensitive than wall time to other work on a shared machine.
//
//   pnpm --filter @otel-server-timing/zero-code-apps bench:startup [--rounds 20] [--nodes 20,22,24]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NODE_22, NODE_24, nodeBinary, versionOf } from '@otel-server-timing/node-releases';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '20' }, nodes: { type: 'string', default: '20,22,24' } },
});
const rounds = Number(values.rounds);
const APP_DIR = fileURLToPath(new URL('../apps/express-esm/', import.meta.url));
const LISTENING = /Express listening/;

const CONFIGURATIONS = [
  { name: 'plain node', flags: [] },
  { name: 'upstream --require', flags: ['--require', '@opentelemetry/auto-instrumentations-node/register'] },
  // The upstream entry registers no ESM loader (so an ESM app gets no Express spans from it); this is the
  // loader flag OpenTelemetry documents for ES modules, which wraps every module.
  {
    name: 'upstream + ESM loader',
    flags: [
      '--experimental-loader=@opentelemetry/instrumentation/hook.mjs',
      '--require',
      '@opentelemetry/auto-instrumentations-node/register',
    ],
  },
  { name: 'ours --import', flags: ['--import', '@otel-server-timing/node/register'] },
  { name: 'ours --require', flags: ['--require', '@otel-server-timing/node/register'] },
];

const NODES = {
  20: () => process.execPath,
  22: () => nodeBinary(NODE_22),
  24: () => nodeBinary(NODE_24),
};

/** Same settings for every configuration: nothing exported, every other OTEL_* at its default. */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_'))),
  NODE_OPTIONS: '',
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_LOGS_EXPORTER: 'none',
  PORT: '0',
};

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds (user + system) a process has used so far, or NaN where /proc is missing. @param {number} pid */
function cpuMs(pid) {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/**
 * From spawning node to the app's listening line: wall milliseconds and CPU milliseconds.
 * @param {string} node @param {string[]} flags @returns {Promise<{ wall: number, cpu: number }>}
 */
async function startOnce(node, flags) {
  const started = performance.now();
  const child = spawn(node, [...flags, 'server.mjs'], {
    cwd: APP_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const closed = once(child, 'close');
  try {
    return await new Promise((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        stdout += chunk;
        if (LISTENING.test(stdout))
          resolve({ wall: performance.now() - started, cpu: cpuMs(child.pid ?? 0) });
      });
      child.on('exit', (code) =>
        reject(new Error(`exited with ${code} before listening:\n${stdout}${stderr}`)),
      );
    });
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] ?? NaN;

const format = (/** @type {number} */ ms) => `${Math.round(ms)}`;

for (const major of values.nodes.split(',')) {
  const binary = NODES[/** @type {'20' | '22' | '24'} */ (major.trim())]?.();
  if (binary === undefined) throw new Error(`--nodes takes 20, 22 and 24; got ${major}`);
  /** @type {{ wall: number, cpu: number }[][]} */
  const samples = CONFIGURATIONS.map(() => []);
  // One unmeasured start of each warms the file system cache.
  for (const { flags } of CONFIGURATIONS) await startOnce(binary, flags);
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < CONFIGURATIONS.length; offset++) {
      const index = (round + offset) % CONFIGURATIONS.length;
      samples[index]?.push(await startOnce(binary, CONFIGURATIONS[index]?.flags ?? []));
    }
  }
  console.log(
    `\nNode ${versionOf(binary)}: start-up to the Express app's listening line, ${rounds} alternating rounds`,
  );
  console.log('| configuration | wall ms: median | p25–p75 | min–max | CPU ms: median | p25–p75 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  CONFIGURATIONS.forEach(({ name }, index) => {
    const wall = (samples[index] ?? []).map((sample) => sample.wall).sort((a, b) => a - b);
    const cpu = (samples[index] ?? []).map((sample) => sample.cpu).sort((a, b) => a - b);
    const spread = (/** @type {number[]} */ sorted) =>
      `${format(quantile(sorted, 0.25))}–${format(quantile(sorted, 0.75))}`;
    const range = `${format(wall[0] ?? Number.NaN)}–${format(wall.at(-1) ?? Number.NaN)}`;
    console.log(
      `| ${name} | ${format(quantile(wall, 0.5))} | ${spread(wall)} | ${range} | ${format(quantile(cpu, 0.5))} | ${spread(cpu)} |`,
    );
  });
}
