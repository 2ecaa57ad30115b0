import { defineConfig } from 'vitest/config';

/**
 * The suite runs on SQLite, and again on PostgreSQL when a server is given
 * (FRAMESCOPE_TEST_DATABASE_URL, set by .ci/with-postgres; CI sets FRAMESCOPE_REQUIRE_POSTGRES=1
 * so a missing server fails instead of skipping). The `postgres` project's databases come from
 * createTestDb / db/testing.ts (FRAMESCOPE_TEST_DIALECT=postgres); a test that is SQLite by
 * nature skips there and says why (describeSqliteOnly).
 */
const postgres = Boolean(process.env.FRAMESCOPE_TEST_DATABASE_URL) || process.env.FRAMESCOPE_REQUIRE_POSTGRES === '1';

export default defineConfig({
  test: {
    include: ['api/**/*.test.ts', 'db/**/*.test.ts', 'web/**/*.test.ts', 'evals/**/*.test.ts', 'prompts/**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**'],
    globalSetup: ['./web/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000, // 30 s: browser tests start Chromium and the server
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', env: { FRAMESCOPE_TEST_DIALECT: 'sqlite' } } },
      ...(postgres ? [{ extends: true as const, test: { name: 'postgres', env: { FRAMESCOPE_TEST_DIALECT: 'postgres' }, exclude: ['node_modules/**', 'web/dist/**'] } }] : []),
    ],
  },
});
