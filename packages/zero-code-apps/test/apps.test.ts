import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseServerTiming } from '@otel-server-timing/core';
import { NODE_22, NODE_24, nodeBinary } from '@otel-server-timing/node-releases';
import { beforeAll, describe, it } from 'vitest';
import { type App, MODES, type Run, runApp } from './app-runs.js';

const requireHere = createRequire(import.meta.url);
/** The `bin` of a package as installed from the npm registry. */
const binOf = (name: string, bin: string) => join(dirname(requireHere.resolve(`${name}/package.json`)), bin);

/** Small apps written as people write them, each showing one thing the entry must not change. */
const APPS: App[] = [
  {
    name: 'ESM server whose readiness is an exported let (live binding)',
    cwd: 'apps/live-binding',
    args: () => ['server.mjs'],
    listening: /listening on/,
    requests: ['/'],
  },
  { name: 'ESM import cycle read lazily', cwd: 'apps/import-cycle', args: () => ['main.mjs'] },
  {
    name: 'ESM CLI: top-level await, import.meta, JSON module, dynamic import()',
    cwd: 'apps/config-loader',
    args: () => ['main.mjs'],
  },
  {
    name: 'ESM barrel: namespace objects, export *, export * as, default re-export',
    cwd: 'apps/utils-barrel',
    args: () => ['main.mjs'],
  },
  { name: 'ESM importing CommonJS and JSON', cwd: 'apps/legacy-cjs', args: () => ['main.mjs'] },
  {
    name: 'code on the command line: node -e (require, then import() of an ES module)',
    cwd: 'apps/legacy-cjs',
    args: () => [
      '-e',
      "const { priceOf } = require('./lib/prices.cjs'); console.log('tea', priceOf('tea')); import('./main.mjs')",
    ],
  },
  {
    name: 'code on the command line: node -p',
    cwd: 'apps/legacy-cjs',
    args: () => ['-p', "require('./lib/rates.json') && require('node:path').basename(process.cwd())"],
  },
  { name: 'CommonJS require() of an ES module', cwd: 'apps/cjs-requires-esm', args: () => ['main.js'] },
  { name: 'ESM app with a worker thread', cwd: 'apps/worker-pool', args: () => ['main.mjs'] },
  {
    name: 'Express 5 ESM app (middleware spans in the header)',
    cwd: 'apps/express-esm',
    args: () => ['server.mjs'],
    listening: /Express listening/,
    requests: ['/api/users/42', '/health'],
    metrics: ['middleware'],
  },
  {
    name: 'CommonJS node:http server',
    cwd: 'apps/http-cjs',
    args: () => ['server.js'],
    listening: /stock service on port/,
    requests: ['/stock/tea', '/stock/cocoa'],
  },
  {
    name: 'http-server 14.1.1 from npm (CommonJS), unmodified',
    cwd: 'apps/static-site',
    args: (port) => [
      binOf('http-server', 'bin/http-server'),
      'public',
      '-a',
      '127.0.0.1',
      '-p',
      `${port}`,
      '-c-1',
    ],
    listening: /Hit CTRL-C to stop the server/,
    requests: ['/', '/prices.json', '/missing.txt'],
  },
  {
    name: 'serve 14.2.7 from npm (ES modules, top-level await), unmodified',
    cwd: 'apps/static-site',
    args: (port) => [
      binOf('serve', 'build/main.js'),
      'public',
      '-l',
      `tcp://127.0.0.1:${port}`,
      '--no-clipboard',
      '-L',
    ],
    // Its update check would ask the registry on every start. It serves files with Last-Modified, which a
    // shared cache may keep (heuristic freshness): without `keep` they would carry no header of ours.
    env: { NO_UPDATE_CHECK: '1', OTEL_SERVER_TIMING_SHARED_CACHE: 'keep' },
    listening: /Accepting connections/,
    requests: ['/', '/prices.json'],
  },
];

/** Node 20 is the Node running the suite; 22 and 24 come from tools/node-releases. */
const NODES = [
  { label: `Node ${process.versions.node}`, binary: () => process.execPath },
  { label: `Node ${NODE_22}`, binary: () => nodeBinary(NODE_22) },
  { label: `Node ${NODE_24}`, binary: () => nodeBinary(NODE_24) },
];

function metricNames(run: Run): string[][] {
  return run.replies.map((reply) => parseServerTiming(reply.serverTiming ?? '').map((metric) => metric.name));
}

/** What the application itself does: its output, its replies without our header, how it ended. */
function behaviour({ stdout, exit, replies }: Run) {
  return { stdout, exit, replies: replies.map(({ serverTiming: _, ...reply }) => reply) };
}

describe.each(NODES)('$label', ({ binary }) => {
  let node: string;
  // Once per Node, before its tests run side by side (the first call may install the binary).
  beforeAll(() => {
    node = binary();
  });

  it.concurrent.for(APPS)('$name', async (app, { expect }) => {
    const runs: Record<string, Run> = {};
    for (const mode of MODES) runs[mode] = await runApp(node, mode, app);
    const baseline = runs.plain!;
    expect(baseline.sdkStarts.every((thread) => !thread.sdkStarted)).toBe(true);
    expect(baseline.replies.every((reply) => reply.serverTiming === null)).toBe(true);
    // Soft assertions: a failing run reports every difference at once.
    for (const mode of ['--import', '--require'] as const) {
      const run = runs[mode]!;
      expect
        .soft(behaviour(run), `${mode}: the app behaves as under plain node`)
        .toEqual(behaviour(baseline));
      expect
        .soft(run.stderr, `${mode}: stderr as under plain node (no warning of ours)`)
        .toBe(baseline.stderr);
      expect
        .soft(
          run.sdkStarts.filter((thread) => thread.sdkStarted),
          `${mode}: one SDK, in the main thread (not in Node's module-hooks thread nor the app's workers): ${JSON.stringify(run.sdkStarts)}`,
        )
        .toEqual([expect.objectContaining({ isMainThread: true })]);
      for (const names of metricNames(run)) {
        expect
          .soft(names, `${mode}: the header`)
          .toEqual(expect.arrayContaining(['total', 'traceparent', ...(app.metrics ?? [])]));
      }
    }
  });
});
