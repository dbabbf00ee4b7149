#!/usr/bin/env node
// The README's two commands, for a fresh machine with only Node (>= 20.6) and npm:
//   npm run demo   installs the workspace, builds it and starts the demo
//   npm test       installs the workspace (and Chromium from Debian's packages when it is missing and
//                  this user may install it), then lints, builds, type-checks and runs every test
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

/** Chromium for the browser tests: CHROMIUM_PATH, else Debian's /usr/bin/chromium, installed when missing. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) {
    env.CHROMIUM_PATH = path;
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || output('which', ['apt-get']) === undefined) {
    console.error(
      'The browser tests need Chromium: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.',
    );
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium'], {
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  env.CHROMIUM_PATH = '/usr/bin/chromium';
}

if (task === 'test') {
  ensureChromium();
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
