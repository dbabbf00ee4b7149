#!/usr/bin/env node
// The compatibility run: the end-to-end tests (test/*.test.mjs) under every Node of the matrix against
// every OpenTelemetry set of sets/ that Node can run, a TypeScript consumer compiled against each set, then
// our packages' own unit suites on the newer Nodes. Prints each combination before it runs and a summary
// at the end; exits 1 if any failed.
//
// What it installs, idempotently, into folders git ignores:
// - Node binaries from the npm registry (`node-linux-<arch>` packages), through tools/node-releases;
//   COMPAT_NODE_<major>=/path/to/node uses another binary instead (e.g. on macOS, which has no such package);
// - each set with `npm ci` from its committed package-lock.json, outside the pnpm workspace (the SDK 3.x
//   set needs Node >= 22.15 and the workspace's engineStrict would refuse it on Node 20);
// - our packages, packed with `pnpm pack` from their dist/ (as they would be published) and added to each
//   set with `npm install --no-save`: npm checks their peerDependencies against the set, and they resolve
//   the set's @opentelemetry/api exactly as in an application.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_22, NODE_24, nodeBinary, versionOf } from '@otel-server-timing/node-releases';

/** Node releases besides the one running this script: the floor of `engines.node`, then 22 and 24 LTS. */
const PINNED_NODES = ['20.6.0', NODE_22, NODE_24];
/** Our server packages: installed into every set, and their own suites run on the newer Nodes. */
const SERVER_PACKAGES = ['core', 'node', 'express', 'fastify', 'koa', 'fetch', 'hono'];
/** Our packages installed into every set, so npm checks each one's peer ranges against the set's API. */
const OURS = [...SERVER_PACKAGES, 'browser'];
/** Our packages whose own (vitest) suites also run on these Nodes; vitest 4 needs Node >= 20.19. */
const UNIT_SUITES = { packages: SERVER_PACKAGES, nodes: [NODE_22, NODE_24] };
const SETS = ['otel2', 'otel2-api13', 'otel3'];

const compat = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = join(compat, '..');
const cache = join(compat, '.cache');

/** Folders removed when this process exits, however it exits. */
const temporary = new Set();
process.on('exit', () => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.once(signal, () => process.exit(130));

/**
 * @typedef {{ version: string, binary: string }} NodeRelease
 * @typedef {{ set: string, minimumNode: string, label: string }} OtelSet
 * @typedef {{ title: string, command: string, args: string[], options: import('node:child_process').SpawnSyncOptions }} Job
 */

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`\n✗ compat: ${message}`);
  process.exit(1);
}

/** @param {string} command @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [options] */
function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** @param {unknown} error */
function errorCode(error) {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** One compat run at a time per checkout: concurrent runs would reinstall the folders the other reads. */
function lock() {
  const folder = join(cache, 'lock');
  const pidFile = join(folder, 'pid');
  mkdirSync(cache, { recursive: true });
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(folder);
      temporary.add(folder);
      writeFileSync(pidFile, String(process.pid));
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const holder = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : 0);
      // A holder that is gone (or never wrote its pid within a second) left the lock behind.
      if (!isAlive(holder) && waited > 0) rmSync(folder, { recursive: true, force: true });
      else if (waited === 0) console.log(`compat: waiting for the run of process ${holder} to finish`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
}

/** pnpm: the one running this script (turbo and `pnpm test` set npm_execpath), else the one on PATH. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath ?? '';
  return /pnpm/.test(execPath)
    ? { command: process.execPath, prefix: [execPath] }
    : { command: 'pnpm', prefix: [] };
}

/**
 * `pnpm pack` of each of our packages: what the registry would serve, `workspace:*` made a version.
 * @param {string} destination
 */
function packOurs(destination) {
  const { command, prefix } = pnpmCommand();
  return OURS.map((name) => {
    const folder = join(packages, name);
    if (!existsSync(join(folder, 'dist'))) fail(`packages/${name} is not built: run pnpm build first`);
    const before = new Set(readdirSync(destination));
    execFileSync(command, [...prefix, 'pack', '--pack-destination', destination], {
      cwd: folder,
      stdio: 'ignore',
    });
    const tarball = readdirSync(destination).find((file) => !before.has(file));
    return tarball === undefined
      ? fail(`pnpm pack wrote nothing for packages/${name}`)
      : join(destination, tarball);
  });
}

/**
 * Installs a set from its lockfile (unless already installed from that lockfile), then adds our packages.
 * @param {string} set
 * @param {string[]} tarballs
 */
function installSet(set, tarballs) {
  const folder = join(compat, 'sets', set);
  const digest = createHash('sha256')
    .update(readFileSync(join(folder, 'package.json')))
    .update(readFileSync(join(folder, 'package-lock.json')))
    .digest('hex');
  const stamp = join(folder, 'node_modules', '.compat-installed');
  const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--engine-strict=false'];
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    run('npm', ['ci', ...npmFlags], { cwd: folder });
    writeFileSync(stamp, digest);
  }
  rmSync(join(folder, 'node_modules', '@otel-server-timing'), { recursive: true, force: true });
  run('npm', ['install', '--no-save', ...npmFlags, ...tarballs], { cwd: folder });
}

/** @param {string} set @returns {OtelSet} */
function readSet(set) {
  const manifest = JSON.parse(readFileSync(join(compat, 'sets', set, 'package.json'), 'utf8'));
  const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(manifest.engines?.node ?? '')?.[1];
  if (minimum === undefined) fail(`sets/${set}/package.json needs "engines": { "node": ">=x.y.z" }`);
  const versions = Object.entries(manifest.dependencies)
    .filter(([name]) => name.startsWith('@opentelemetry/'))
    .map(([name, version]) => `${name.replace('@opentelemetry/', '')} ${version}`);
  return { set, minimumNode: minimum, label: `${set} (${versions.join(', ')})` };
}

/** @param {string} version @param {string} minimum */
function atLeast(version, minimum) {
  const [have, need] = [version, minimum].map((text) => text.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    const difference = (have?.[i] ?? 0) - (need?.[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** @param {NodeRelease[]} nodes @param {OtelSet[]} sets @returns {Job[]} */
function plan(nodes, sets) {
  const requireHere = createRequire(import.meta.url);
  const vitest = join(dirname(requireHere.resolve('vitest/package.json')), 'vitest.mjs');
  const typescript = dirname(requireHere.resolve('typescript/package.json'));
  const typescriptVersion = JSON.parse(readFileSync(join(typescript, 'package.json'), 'utf8')).version;
  const testFiles = readdirSync(join(compat, 'test'))
    .filter((file) => file.endsWith('.test.mjs'))
    .map((file) => join('test', file));
  /** @type {Job[]} */
  const jobs = [];
  for (const node of nodes) {
    for (const { set, minimumNode, label } of sets) {
      if (!atLeast(node.version, minimumNode)) continue;
      jobs.push({
        title: `Node v${node.version} · ${label} · end-to-end`,
        command: node.binary,
        args: ['--test', '--test-reporter=spec', ...testFiles],
        options: { cwd: compat, env: { ...process.env, COMPAT_SET: set } },
      });
    }
  }
  for (const { set, label } of sets) {
    jobs.push({
      title: `TypeScript ${typescriptVersion} · ${label} · sets/${set}/consumer.mts, skipLibCheck off`,
      command: process.execPath,
      args: [join(typescript, 'bin', 'tsc'), '-p', join('sets', set, 'tsconfig.json')],
      options: { cwd: compat },
    });
  }
  for (const node of nodes.filter(({ version }) => UNIT_SUITES.nodes.includes(version))) {
    for (const name of UNIT_SUITES.packages) {
      jobs.push({
        title: `Node v${node.version} · packages/${name} unit suite (its own devDependencies)`,
        command: node.binary,
        args: [vitest, 'run'],
        options: { cwd: join(packages, name) },
      });
    }
  }
  return jobs;
}

lock();
const started = performance.now();
/** @type {NodeRelease[]} */
const nodes = [{ version: process.versions.node, binary: process.execPath }];
for (const version of PINNED_NODES) {
  if (version === process.versions.node) continue;
  let binary;
  try {
    binary = nodeBinary(version);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  nodes.push({ version: versionOf(binary) ?? version, binary });
}

const packDestination = mkdtempSync(join(tmpdir(), 'otel-server-timing-compat-'));
temporary.add(packDestination);
const tarballs = packOurs(packDestination);
const sets = SETS.map(readSet);
for (const { set } of sets) installSet(set, tarballs);

const jobs = plan(nodes, sets);
const results = jobs.map((job, index) => {
  console.log(`\n━━━ compat [${index + 1}/${jobs.length}] ${job.title}`);
  const jobStarted = performance.now();
  const { status } = spawnSync(job.command, job.args, { stdio: 'inherit', ...job.options });
  return { title: job.title, passed: status === 0, seconds: (performance.now() - jobStarted) / 1000 };
});

console.log('\nCompatibility matrix');
for (const { title, passed, seconds } of results) {
  console.log(`  ${passed ? '✓' : '✗'} ${title}  (${seconds.toFixed(1)} s)`);
}
const failed = results.filter(({ passed }) => !passed).length;
const total = `${((performance.now() - started) / 1000).toFixed(0)} s`;
if (failed > 0) fail(`${failed} of ${results.length} combinations failed (${total})`);
console.log(`✓ all ${results.length} combinations passed (${total})`);
