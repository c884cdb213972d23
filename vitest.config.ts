import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` is pure (domain, no infrastructure); `integration` runs against a real Temporal
 * dev server, the Java time-skipping server, PostgreSQL and an SMTP server, brought up by its global setup.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/differential/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
