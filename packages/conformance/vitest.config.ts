import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@otel-server-timing/core': source(process.env.CORE_SOURCE ?? '../core/src/index.ts'),
      '@otel-server-timing/node': source('../node/src/index.ts'),
    },
  },
  // Each file in its own process: instrumentations patch modules for the whole process.
  test: { include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 60_000, hookTimeout: 120_000 },
});
