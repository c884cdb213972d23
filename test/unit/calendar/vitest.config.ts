import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The root config's global setup starts Temporal and Postgres; the calendar engine is pure and needs
// neither. Run: npx vitest run --config test/unit/calendar/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/unit/calendar/**/*.test.ts', 'test/differential/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
