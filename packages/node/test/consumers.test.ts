import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** Runs a script as a consumer of the built package (resolved by name from the package itself). */
async function consume(type: 'module' | 'commonjs', script: string): Promise<unknown> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const { stdout } = await run(process.execPath, [`--input-type=${type}`, '-e', script], {
    cwd: PACKAGE_DIR,
    env: { ...env, OTEL_SDK_DISABLED: 'true' },
  });
  return JSON.parse(stdout);
}

const EXPORTS = [
  'NodeServerTiming',
  'composeResponseHook',
  'getResponseServerTiming',
  'instrumentEveryServer',
  'instrumentServer',
  'serverTimingOptionsFromEnv',
  'serverTimingResponseHook',
];

/** The adapters' entry, outside semver. */
const INTERNAL_EXPORTS = [
  'AUTOMATIC',
  'AdapterServerTiming',
  'BEFORE_END',
  'BEFORE_HEAD',
  'NO_SERVER_TIMING',
  'interceptResponses',
  'removeResponseInterception',
  'reserveResponseProperty',
  'setTimingOf',
  'timingOf',
];

describe('the built package', () => {
  it('keeps ?. and ?? native in its CommonJS files (no helper calls on the per-response path)', () => {
    const dist = `${PACKAGE_DIR}dist/`;
    const files = readdirSync(dist).filter((file) => file.endsWith('.cjs'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(readFileSync(dist + file, 'utf8'), file).not.toMatch(/_optionalChain|_nullishCoalesce/);
    }
  });

  it('loads with require(), main entry, internal entry and register subpath', async () => {
    const result = await consume(
      'commonjs',
      `const node = require('@otel-server-timing/node');
       const internal = require('@otel-server-timing/node/internal');
       require('@otel-server-timing/node/register');
       console.log(JSON.stringify([Object.keys(node).sort(), Object.keys(internal).sort()]));`,
    );
    expect(result).toEqual([EXPORTS, INTERNAL_EXPORTS]);
  });

  it('loads with import, main entry, internal entry and register subpath', async () => {
    const result = await consume(
      'module',
      `const node = await import('@otel-server-timing/node');
       const internal = await import('@otel-server-timing/node/internal');
       await import('@otel-server-timing/node/register');
       console.log(JSON.stringify([Object.keys(node).sort(), Object.keys(internal).sort()]));`,
    );
    expect(result).toEqual([EXPORTS, INTERNAL_EXPORTS]);
  });

  it('shares responses between an ESM and a CommonJS copy in one process', async () => {
    const result = await consume(
      'module',
      `import http from 'node:http';
       import { createRequire } from 'node:module';
       import { NodeServerTiming } from '@otel-server-timing/node';
       const commonjs = createRequire(import.meta.url)('@otel-server-timing/node');
       const server = http.createServer((req, res) => {
         const handle = new NodeServerTiming().attach(req, res);
         const seen = commonjs.getResponseServerTiming(res) === handle;
         const again = new commonjs.NodeServerTiming().attach(req, res) === handle;
         handle.add({ name: 'shared', duration: 1 });
         res.end(JSON.stringify({ seen, again }));
       });
       server.listen(0, '127.0.0.1', async () => {
         const reply = await fetch('http://127.0.0.1:' + server.address().port);
         const body = await reply.json();
         console.log(JSON.stringify({ ...body, header: reply.headers.get('server-timing') }));
         server.close();
       });`,
    );
    expect(result).toEqual({ seen: true, again: true, header: 'shared;dur=1' });
  });
});
