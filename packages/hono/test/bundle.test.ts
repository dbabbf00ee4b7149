import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// What a bundler takes from the built package for each runtime, by the export conditions it resolves with.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(new URL('../dist/index.js', import.meta.url));

/** Bundles an app's import of the package; returns the modules it pulled in and what it left to the runtime. */
async function bundleFor(platform: 'neutral' | 'node', conditions: string[]) {
  const result = await build({
    stdin: {
      contents: "export { serverTiming, addServerTiming, withServerTiming } from '@otel-server-timing/hono';",
      resolveDir: packageDir,
    },
    bundle: true,
    format: 'esm',
    platform,
    conditions,
    mainFields: ['module', 'main'],
    // Peer dependencies and the runtime's built-in modules stay imports (for Node, without `node:`).
    external: ['hono', 'hono/*', '@opentelemetry/api', 'node:*'],
    write: false,
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const imports = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((each) => each.external).map((each) => each.path),
  );
  return { inputs, imports };
}

describe.runIf(built)('the bundle of an app', () => {
  it.each([
    ['Cloudflare Workers', ['workerd', 'worker', 'browser']],
    ['Vercel Edge', ['edge-light', 'worker', 'browser']],
    ['Deno', ['deno', 'node']],
    ['Bun', ['bun', 'node']],
  ])('for %s imports nothing of Node', async (_runtime, conditions) => {
    const { inputs, imports } = await bundleFor('neutral', conditions);
    expect(imports.filter((path) => isBuiltin(path))).toEqual([]);
    expect(inputs.filter((path) => path.includes('/node/dist/'))).toEqual([]);
  });

  it('for Node takes the Node entry, with the Node response path', async () => {
    const { inputs, imports } = await bundleFor('node', ['node']);
    expect(imports.filter((path) => isBuiltin(path))).toContain('http');
    expect(inputs.some((path) => path.includes('/node/dist/internal.js'))).toBe(true);
  });
});
