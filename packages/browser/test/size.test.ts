import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Gzip budget of the standalone reader (everything the package root exports), in bytes. 1536 until the
 * check for copies a shared cache replayed (the server's `timestamp` against the page's clock) took ~30.
 */
const READER_BUDGET = 1600;
const readerEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('..', import.meta.url)) },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    metafile: true,
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const contributors = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  return { gzipBytes: gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length, contributors };
}

describe('standalone reader size', () => {
  it(`stays under ${READER_BUDGET} bytes gzip, minified, with no OpenTelemetry code`, async () => {
    expect(existsSync(readerEntry), 'build the package first (pnpm build)').toBe(true);
    const reader = await bundle(`export * from ${JSON.stringify(readerEntry)};`);
    console.log(`standalone reader: ${reader.gzipBytes} bytes gzip (budget ${READER_BUDGET})`);
    expect(reader.gzipBytes).toBeLessThan(READER_BUDGET);
    expect(reader.contributors.filter((path) => path.includes('@opentelemetry'))).toEqual([]);
  });

  it('is smaller again when only getServerTiming is imported (tree-shaking works)', async () => {
    const all = await bundle(`export * from ${JSON.stringify(readerEntry)};`);
    const one = await bundle(`export { getServerTiming } from ${JSON.stringify(readerEntry)};`);
    console.log(`getServerTiming alone: ${one.gzipBytes} bytes gzip`);
    expect(one.gzipBytes).toBeLessThan(all.gzipBytes);
  });
});
