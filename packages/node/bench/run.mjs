// Server-Timing's cost on the response path. Usage: pnpm bench [--quick]
// 1. Server CPU time per request of real node:http servers (instrumentation-http, 2 child spans):
//    OpenTelemetry alone (twice: the A/A spread shows the noise), + the processor, + processor and
//    responseHook. Rounds visit the servers in a random order; the median of per-round ratios is reported.
//    Servers are pinned to core 1 and this load generator to core 0 when `taskset` exists.
// 2. In-process cost per response (no sockets), see response.mjs.
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { measureResponse } from './response.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 12;
const REQUESTS_PER_ROUND = quick ? 300 : 3_000;
const CONCURRENCY = 10;
const MODES = {
  otel: 'OpenTelemetry alone',
  'otel-control': 'OpenTelemetry alone (A/A)',
  processor: '+ ServerTimingSpanProcessor',
  'server-timing': '+ processor + responseHook',
};

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasTaskset) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

function startServer(mode) {
  const script = fileURLToPath(new URL('server.mjs', import.meta.url));
  const serverMode = mode === 'otel-control' ? 'otel' : mode;
  const [command, args] = hasTaskset
    ? ['taskset', ['-c', '1', process.execPath, script, serverMode]]
    : [process.execPath, [script, serverMode]];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (line) => resolve({ child, port: JSON.parse(String(line)).port }));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(port, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** Server CPU microseconds per request over one round. */
async function round(port) {
  const before = Number(await get(port, '/__cpu'));
  let sent = 0;
  const worker = async () => {
    while (sent < REQUESTS_PER_ROUND) {
      sent += 1;
      await get(port, '/users/42');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (Number(await get(port, '/__cpu')) - before) / REQUESTS_PER_ROUND;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const modes = Object.keys(MODES);
const servers = {};
for (const mode of modes) servers[mode] = await startServer(mode);
try {
  const times = Object.fromEntries(modes.map((mode) => [mode, []]));
  const ratios = Object.fromEntries(modes.map((mode) => [mode, []]));
  for (const mode of modes) await round(servers[mode].port);
  for (let index = 0; index < ROUNDS; index += 1) {
    const order = [...modes].sort(() => Math.random() - 0.5);
    const results = {};
    for (const mode of order) results[mode] = await round(servers[mode].port);
    for (const mode of modes) {
      times[mode].push(results[mode]);
      ratios[mode].push(results[mode] / results.otel);
    }
  }
  console.log(
    `1. server CPU per request (${ROUNDS} rounds of ${REQUESTS_PER_ROUND}, node:http + instrumentation-http):`,
  );
  for (const [mode, label] of Object.entries(MODES)) {
    const spread = `${Math.min(...ratios[mode]).toFixed(2)}-${Math.max(...ratios[mode]).toFixed(2)}`;
    const ratio =
      mode === 'otel' ? '' : `  median ratio ${median(ratios[mode]).toFixed(3)} (rounds ${spread})`;
    console.log(`   ${label.padEnd(30)} ${median(times[mode]).toFixed(1).padStart(6)} µs${ratio}`);
  }
} finally {
  agent.destroy();
  for (const { child } of Object.values(servers)) child.kill();
}

const { without, withTiming } = measureResponse({
  rounds: quick ? 2 : 15,
  responses: quick ? 2_000 : 20_000,
});
console.log('2. in process, per response (server span + 2 children, processor registered in both):');
console.log(`   without Server-Timing        ${median(without).toFixed(0).padStart(6)} ns`);
console.log(`   attach + header              ${median(withTiming).toFixed(0).padStart(6)} ns`);
console.log(
  `   difference                   ${(median(withTiming) - median(without)).toFixed(0).padStart(6)} ns`,
);
