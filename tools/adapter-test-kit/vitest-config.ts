import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The vitest configuration of the express, fastify and koa adapter packages. */
export const adapterVitestConfig = defineConfig({
  resolve: {
    // Test against the sources of core and node, so a change there is seen without rebuilding it first.
    alias: {
      '@otel-server-timing/core': source('../../packages/core/src/index.ts'),
      '@otel-server-timing/node': source('../../packages/node/src/index.ts'),
    },
  },
  // Each file runs in its own process: instrumentations patch modules for the whole process.
  test: { include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 20_000 },
});
