import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The vitest configuration of the express, fastify and koa adapter packages. */
export const adapterVitestConfig = defineConfig({
  resolve: {
    // Test against the sources of core and node, so a change there is seen without rebuilding it first.
    // Most specific first: a key also matches the ids under it (`…/node/internal` under `…/node`).
    alias: [
      {
        find: '@otel-server-timing/node/internal',
        replacement: source('../../packages/node/src/internal.ts'),
      },
      { find: '@otel-server-timing/core', replacement: source('../../packages/core/src/index.ts') },
      { find: '@otel-server-timing/node', replacement: source('../../packages/node/src/index.ts') },
    ],
  },
  // Each file runs in its own process: instrumentations patch modules for the whole process.
  test: { include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 20_000 },
});
