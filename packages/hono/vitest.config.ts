import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Test against core's and fetch's source, so a change there is seen without rebuilding it first.
    alias: {
      '@otel-server-timing/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
      '@otel-server-timing/fetch': fileURLToPath(new URL('../fetch/src/index.ts', import.meta.url)),
      '@otel-server-timing/node': fileURLToPath(new URL('../node/src/index.ts', import.meta.url)),
    },
  },
  // Generous limits: the machines are shared, and a test must never fail on time alone.
  test: { include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 60_000, hookTimeout: 60_000 },
});
