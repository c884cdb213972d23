import { defineConfig } from 'vitest/config';

/**
 * `npm run histories:record`: runs the recorded scenarios against the time-skipping server and writes
 * their histories next to this file. Never part of `npm test`; the unit project replays what it wrote.
 */
export default defineConfig({
  test: {
    include: ['test/histories/record.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
