import { defineConfig } from 'vitest/config';

/**
 * The suite runs on SQLite, and again on PostgreSQL when a server is given
 * (FRAMESCOPE_TEST_DATABASE_URL, set by .ci/with-postgres; CI sets FRAMESCOPE_REQUIRE_POSTGRES=1
 * so a missing server fails instead of skipping). The `postgres` project's databases come from
 * createTestDb / db/testing.ts (FRAMESCOPE_TEST_DIALECT=postgres); a test that is SQLite by
 * nature skips there and says why (describeSqliteOnly).
 */
/**
 * Files that do not pass on PostgreSQL yet (issue 18, being converted area by area): the
 * postgres project leaves them out. Remove a file from here when it passes there.
 */
const POSTGRES_PENDING = [
  // The browser tests' server (web/e2e/browser.ts) opens an SQLite file of its own.
  'web/e2e/**',
  'api/app.test.ts',
  // import: `stats`; stories: the grouping's reads; tag: the tagging estimate (api/tagging/estimate.ts json_extract ... IS ?).
  'api/cli/import.test.ts',
  'api/cli/stories.test.ts',
  'api/cli/tag.test.ts',
  'api/cli/tagBatch.test.ts',
  // Passes on PostgreSQL, but its random ranges take 60-70 s there (a statement per round trip to the driver's worker), past the 30 s test timeout.
  'api/dashboard/views/days.test.ts',
  'api/evals/comparison.test.ts',
  'api/evals/heldOut.test.ts',
  'api/export/export.test.ts',
  'api/export/provenance.test.ts',
  'api/export/roundtrip.test.ts',
  'api/ingest/duplicates.test.ts',
  'api/ingest/labels.test.ts',
  'api/items/provenance.test.ts',
  'api/jobs/jobs.test.ts',
  'api/providers/redact.test.ts',
  'api/review/bulk.test.ts',
  'api/review/stored.test.ts',
  'api/routes/corpus.test.ts',
  'api/routes/jobs.test.ts',
  'api/routes/openapi.test.ts',
  'api/routes/tagging.test.ts',
  'api/stories/check.test.ts',
  'api/stories/edit.test.ts',
  'api/stories/grouping.test.ts',
  'api/stories/matched.test.ts',
  'api/tagging/batch.test.ts',
  'api/tagging/estimate.test.ts',
  'api/tagging/injection.test.ts',
  'api/tagging/localDocuments.test.ts',
  'api/tagging/rateLimit.test.ts',
  'api/tagging/runs.test.ts',
  'api/training/training.test.ts',
];

/** FRAMESCOPE_TEST_PENDING=1 runs the pending files on PostgreSQL too (to work on them). */
const pending = process.env.FRAMESCOPE_TEST_PENDING === '1' ? [] : POSTGRES_PENDING;

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
      ...(postgres ? [{ extends: true as const, test: { name: 'postgres', env: { FRAMESCOPE_TEST_DIALECT: 'postgres' }, exclude: ['node_modules/**', 'web/dist/**', ...pending] } }] : []),
    ],
  },
});
