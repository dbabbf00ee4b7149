import { defineConfig } from 'vitest/config';

// One `next build` per run (in the test file's beforeAll), shared by every test. The machine may be busy:
// generous limits, never a test that fails on time alone.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 600_000 },
});
