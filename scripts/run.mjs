#!/usr/bin/env node
// The README's two commands, for a fresh machine with only Node (>= 20.6) and npm:
//   npm run demo   installs the workspace, builds it and starts the demo
//   npm test       installs the workspace (and the browsers and database servers the tests use, from
//                  Debian's packages, when missing and this user may), then lints, builds, type-checks
//                  and runs every test
// Each step is an ordinary command printed before it runs, so any of them can be run by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const task = process.argv[2];
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function run(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
    process.exit(result.status ?? 1);
  }
}

function output(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** pnpm at the pinned version: the one on PATH when it matches, else npx fetches it from the registry. */
function pnpm(args) {
  if (output('pnpm', ['--version']) === pnpmVersion) run('pnpm', args);
  else run('npx', ['--yes', `pnpm@${pnpmVersion}`, ...args]);
}

/**
 * The browsers and servers the tests run for real (scripts/debian-packages.json): the missing ones are
 * installed from Debian's packages when this user may, else the run stops and names them. Installing
 * starts no service: the tests start their own on free ports and stop them.
 */
function ensureDebianPackages() {
  const { packages } = JSON.parse(readFileSync(join(root, 'scripts', 'debian-packages.json'), 'utf8'));
  const missing = Object.keys(packages).filter((name) => !existsSync(packages[name]));
  if (missing.length > 0) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot || output('which', ['apt-get']) === undefined) {
      console.error(`The tests need these Debian packages (or their equivalents): ${missing.join(' ')}.`);
      console.error(`Install them, e.g. sudo apt-get install -y ${missing.join(' ')}`);
      process.exit(1);
    }
    run('apt-get', ['update', '-qq']);
    run('sh', [join(root, 'scripts', 'apt-install-no-start.sh'), ...missing]);
  }
  env.CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? packages.chromium;
}

if (task === 'test') {
  ensureDebianPackages();
  pnpm(['install', '--frozen-lockfile']);
  pnpm([
    'exec',
    'turbo',
    'run',
    'lint',
    'build',
    'typecheck',
    'test',
    '--concurrency=2',
    '--continue',
    '--output-logs=errors-only',
  ]);
  console.log('\n✓ all packages built, type-checked and tested');
} else if (task === 'demo') {
  pnpm(['install', '--frozen-lockfile']);
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
  pnpm(['--filter', '@otel-server-timing/example-demo', 'start', ...process.argv.slice(3)]);
} else {
  console.error('usage: node scripts/run.mjs demo|test');
  process.exit(2);
}
