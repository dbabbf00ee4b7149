import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Test against core's, fetch's and node's source, so a change there is seen without rebuilding it first.
    // Most specific first: a key also matches the ids under it (`…/node/internal` under `…/node`).
    alias: [
      { find: '@otel-server-timing/node/internal', replacement: source('../node/src/internal.ts') },
      { find: '@otel-server-timing/core', replacement: source('../core/src/index.ts') },
      { find: '@otel-server-timing/fetch', replacement: source('../fetch/src/index.ts') },
      { find: '@otel-server-timing/node', replacement: source('../node/src/index.ts') },
    ],
  },
  // Generous limits: the machines are shared, and a test must never fail on time alone.
  test: { include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 60_000, hookTimeout: 60_000 },
});
