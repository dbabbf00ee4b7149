// @ts-check
// Soak test: many requests through Express with OpenTelemetry and Server-Timing, checking that nothing
// accumulates.
//   pnpm soak [--requests 200000] [--window 20000] [--warmup 5000] [--connections 10] [--quick]
// The server (server.mjs, config `server-timing`: instrumentation-http + instrumentation-express, a
// BatchSpanProcessor with a no-op exporter, ServerTimingSpanProcessor and the Express adapter; two child
// spans per request) runs in its own process with --expose-gc, pinned to core 1; autocannon loads it from
// core 0, window by window. It fails (exit code 1) when:
//   - heap: heapUsed after the run, the exporter flushed and a forced GC, is more than HEAP_SLACK_MB above
//     the same measure taken after the warm-up;
//   - survivors: any sampled root span, request record or response (WeakRefs to every 1000th request's)
//     is still alive after that GC;
//   - latency drift: the median of the last three windows' p99 is more than twice the median of the first
//     three windows' p99. Medians of three windows, so that one window disturbed by another process on
//     this shared machine decides nothing; the first windows come after a warm-up, so JIT compilation is
//     not mistaken for a baseline. Not enforced with --quick (windows too short to be steady).

import { parseArgs } from './lib/args.mjs';
import { checkServer } from './lib/check-server.mjs';
import { runLoad } from './lib/load.mjs';
import { loadLine, machineLine } from './lib/machine.mjs';
import { LOAD_CORE, pinningNote, pinSelf } from './lib/pinning.mjs';
import { startServer } from './lib/server-process.mjs';
import { median, percentile } from './lib/stats.mjs';

const HEAP_SLACK_MB = 5;
const DRIFT_LIMIT = 2;
const SAMPLE_EVERY = 1000;

const options = parseArgs(
  process.argv.slice(2),
  { requests: 200_000, window: 20_000, warmup: 5_000, connections: 10 },
  { requests: 5_000, window: 1_000, warmup: 1_000, connections: 4 },
);
const sampleEvery = options.quick ? 100 : SAMPLE_EVERY;
const mb = (/** @type {number} */ bytes) => (bytes / 1024 / 1024).toFixed(1);

pinSelf(LOAD_CORE);
console.log(`Soak on ${machineLine()}; ${pinningNote()}; load average at start: ${loadLine()}`);
const server = await startServer({
  framework: 'express',
  config: 'server-timing',
  nodeArgs: ['--expose-gc'],
  options: { sampleEvery },
});
const failures = [];
try {
  await checkServer(server, 'server-timing', '/users/42');
  const load = (/** @type {number} */ amount) =>
    runLoad({
      port: server.port,
      path: '/users/42',
      connections: options.connections,
      amount,
      latencies: true,
    });
  await load(options.warmup);
  const heapAtStart = await server.call('heap');
  console.log(
    `Express + OpenTelemetry + Server-Timing, ${options.requests} requests in windows of ${options.window}, ${options.connections} connections`,
  );
  console.log(`heap after warm-up (${options.warmup} requests) and GC: ${mb(heapAtStart)} MB`);
  console.log(
    `  ${'window'.padEnd(16)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}   load average`,
  );
  /** @type {number[]} */
  const p99s = [];
  let failed = 0;
  for (let done = 0; done < options.requests; done += options.window) {
    const amount = Math.min(options.window, options.requests - done);
    const result = await load(amount);
    failed += result.failed;
    const latencies = /** @type {Float64Array} */ (result.latencies);
    const p99 = percentile(latencies, 99);
    p99s.push(p99);
    const range = `${done + 1}-${done + amount}`;
    console.log(
      `  ${range.padEnd(16)} ${(result.requests / result.seconds).toFixed(0).padStart(7)} ${percentile(latencies, 50).toFixed(2).padStart(8)} ${p99.toFixed(2).padStart(8)}   ${loadLine()}`,
    );
  }
  const heapAtEnd = await server.call('heap');
  const growth = heapAtEnd - heapAtStart;
  console.log(
    `heap after the run and GC: ${mb(heapAtEnd)} MB (${growth >= 0 ? '+' : ''}${mb(growth)} MB; limit +${HEAP_SLACK_MB} MB)`,
  );
  if (growth > HEAP_SLACK_MB * 1024 * 1024) failures.push(`heap grew by ${mb(growth)} MB`);

  /** @type {Record<string, { sampled: number, alive: number }>} */
  const survivors = await server.call('survivors');
  for (const [kind, { sampled, alive }] of Object.entries(survivors)) {
    console.log(`sampled ${kind} still alive after GC: ${alive} of ${sampled}`);
    if (sampled === 0) failures.push(`no ${kind} were sampled`);
    if (alive > 0) failures.push(`${alive} sampled ${kind} survived`);
  }
  if (failed > 0) failures.push(`${failed} requests failed`);

  const edge = Math.min(3, Math.floor(p99s.length / 2));
  const first = median(p99s.slice(0, edge));
  const last = median(p99s.slice(-edge));
  const drift = last / first;
  const enforced = !options.quick && p99s.length >= 6;
  console.log(
    `p99 drift: median of the last ${edge} windows ${last.toFixed(2)} ms / first ${edge} ${first.toFixed(2)} ms = ${drift.toFixed(2)} (limit ${DRIFT_LIMIT}${enforced ? '' : ', not enforced for so few or short windows'})`,
  );
  if (enforced && drift > DRIFT_LIMIT) failures.push(`p99 latency drifted by ${drift.toFixed(2)}x`);
} finally {
  await server.stop();
}
if (failures.length > 0) {
  console.log(`FAIL: ${failures.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log('PASS: heap back within bounds, no request objects survived, no latency drift');
}
