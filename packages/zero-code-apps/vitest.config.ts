import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test starts its app nine times over (three modes); a busy machine must not fail it.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Apps of one Node version run side by side, a few at a time on these 2-core machines.
    maxConcurrency: 3,
  },
});
