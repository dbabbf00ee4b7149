import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Most tests start servers or child processes; on a busy machine they take many times their idle time,
  // which must not fail them (only a wrong result may).
  test: { include: ['test/**/*.test.ts'], pool: 'forks', testTimeout: 60_000, hookTimeout: 60_000 },
});
