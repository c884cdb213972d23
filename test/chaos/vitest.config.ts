import { defineConfig } from 'vitest/config';

/** `npm run test:chaos`: kills and restarts real processes for minutes, so it runs by hand or after `npm test` (`npm run test:ci`), never inside it. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    setupFiles: ['test/support/quiet-runtime.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
