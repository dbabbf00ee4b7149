// @ts-check
// Where a server with Server-Timing spends its time: runs server.mjs under `node --cpu-prof`, loads it,
// and prints the functions of this project's packages by inclusive time (their callees counted) and self
// time, as shares of all the server's samples.
//   pnpm --filter @otel-server-timing/benchmarks profile [--framework express] [--config server-timing]
//        [--requests 50000] [--top 25]
// The profile itself (.cpuprofile, loadable in Chrome DevTools) is kept in the printed directory.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from './lib/args.mjs';
import { runLoad } from './lib/load.mjs';
import { LOAD_CORE, pinSelf } from './lib/pinning.mjs';
import { startServer } from './lib/server-process.mjs';

const options = parseArgs(
  process.argv.slice(2),
  { framework: ['express'], config: ['server-timing'], requests: 50_000, top: 25 },
  { requests: 2_000, top: 5 },
);
const framework = /** @type {string} */ (options.framework[0]);
const config = /** @type {string} */ (options.config[0]);
/** Files of this project's packages, as the profile names them. */
const OURS = /\/packages\/(core|node|express|fastify|koa)\/dist\//;

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number },
 *   children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} Profile
 */

/**
 * Self and inclusive microseconds per function of our packages, and the profile's total.
 * @param {Profile} profile
 */
function summarize(profile) {
  /** @type {Map<number, number>} */
  const selfTime = new Map();
  profile.samples.forEach((id, index) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const inclusive = new Map();
  /** @param {number} id @returns {number} */
  const total = (id) => {
    const known = inclusive.get(id);
    if (known !== undefined) return known;
    const node = /** @type {ProfileNode} */ (byId.get(id));
    let sum = selfTime.get(id) ?? 0;
    for (const child of node.children ?? []) sum += total(child);
    inclusive.set(id, sum);
    return sum;
  };
  let all = 0;
  for (const node of profile.nodes)
    if (node.callFrame.functionName !== '(idle)') all += selfTime.get(node.id) ?? 0;
  /** @type {Map<string, { self: number, inclusive: number }>} */
  const functions = new Map();
  /** @param {number} id @param {Set<string>} open functions of ours already on the stack (recursion counted once) */
  const walk = (id, open) => {
    const node = /** @type {ProfileNode} */ (byId.get(id));
    const { functionName, url, lineNumber } = node.callFrame;
    let inside = open;
    if (OURS.test(url)) {
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/packages\//, '')}:${lineNumber + 1}`;
      const entry = functions.get(key) ?? { self: 0, inclusive: 0 };
      entry.self += selfTime.get(id) ?? 0;
      if (!open.has(key)) {
        entry.inclusive += total(id);
        inside = new Set(open).add(key);
      }
      functions.set(key, entry);
    }
    for (const child of node.children ?? []) walk(child, inside);
  };
  walk(/** @type {ProfileNode} */ (profile.nodes[0]).id, new Set());
  return { all, functions };
}

pinSelf(LOAD_CORE);
const directory = mkdtempSync(join(tmpdir(), 'server-timing-profile-'));
const server = await startServer({
  framework,
  config,
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
});
try {
  await runLoad({ port: server.port, path: '/users/42', connections: 10, amount: options.requests });
} finally {
  await server.stop();
}
const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile written to ${directory}`);
const { all, functions } = summarize(JSON.parse(readFileSync(join(directory, file), 'utf8')));
const share = (/** @type {number} */ time) => `${((100 * time) / all).toFixed(1).padStart(5)}%`;
console.log(`${framework}/${config}: ${options.requests} requests; profile ${join(directory, file)}`);
console.log(`busy time ${(all / 1000).toFixed(0)} ms; this project's functions by inclusive share:`);
console.log(`  ${'inclusive'.padStart(9)} ${'self'.padStart(6)}  function`);
const ranked = [...functions.entries()].sort((a, b) => b[1].inclusive - a[1].inclusive);
for (const [name, { self, inclusive }] of ranked.slice(0, options.top)) {
  console.log(`  ${share(inclusive).padStart(9)} ${share(self)}  ${name}`);
}
