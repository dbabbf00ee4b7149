import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const execFileAsync = promisify(execFile);

/**
 * Runs a consumer application (`fixtures/consumer.cjs` or `.mjs` beside the test) in its own Node process.
 * It prints the file its import of the package resolved to, then the `Server-Timing` it got back.
 */
async function runConsumer(fixture: URL): Promise<{ resolved: string; serverTiming: string }> {
  const { stdout } = await execFileAsync(process.execPath, [fileURLToPath(fixture)], { timeout: 15_000 });
  const [resolved = '', serverTiming = ''] = stdout.trim().split('\n');
  return { resolved, serverTiming };
}

/**
 * Declares the tests that a CommonJS and an ES module application load the built package (its
 * `require` and `import` builds) and get the metric they add: `consumer;dur=1;desc=cjs|esm`.
 */
export function testConsumers(testFile: string): void {
  it.each([
    ['CommonJS', 'consumer.cjs', /dist[/\\]index\.cjs$/, 'cjs'],
    ['ES module', 'consumer.mjs', /dist[/\\]index\.js$/, 'esm'],
  ])('works for a %s application, from the built package', async (_kind, fixture, entry, description) => {
    const { resolved, serverTiming } = await runConsumer(new URL(`fixtures/${fixture}`, testFile));
    expect(resolved).toMatch(entry);
    expect(serverTiming).toBe(`consumer;dur=1;desc=${description}`);
  });
}
