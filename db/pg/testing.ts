import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { createOwnPgDatabase, type OwnPgDatabase } from './databases.ts';
import { applyPgMigrations, openPg, type PgDb } from './client.ts';

/** The variable naming the PostgreSQL server tests may create databases on (`.ci/with-postgres` sets it). */
export const TEST_DATABASE_URL = 'FRAMESCOPE_TEST_DATABASE_URL';

/**
 * `describe` for tests that need PostgreSQL. Without FRAMESCOPE_TEST_DATABASE_URL they are
 * skipped, under a title that says how to run them; with FRAMESCOPE_REQUIRE_POSTGRES=1 (CI)
 * a missing server fails the suite instead of passing it quietly.
 */
export function describePg(name: string, body: (serverUrl: string) => void): void {
  const url = process.env[TEST_DATABASE_URL];
  if (url && process.env.FRAMESCOPE_TEST_DIALECT === 'sqlite') {
    // With a server given the suite also runs as the postgres project: these run there, once.
    describe.skip(`${name} (runs in the postgres project)`, () => body(''));
  } else if (url) {
    describe(name, () => body(url));
  } else if (process.env.FRAMESCOPE_REQUIRE_POSTGRES === '1') {
    describe(name, () => {
      it('has a PostgreSQL server to run on', () => {
        throw new Error(`${TEST_DATABASE_URL} is not set but FRAMESCOPE_REQUIRE_POSTGRES=1: run the suite through .ci/with-postgres`);
      });
    });
  } else {
    describe.skip(`${name} (needs PostgreSQL: run \`.ci/with-postgres npx vitest run <file>\`, or set ${TEST_DATABASE_URL}=postgres://USER@HOST:PORT/DB of a server where USER may create databases)`, () => body(''));
  }
}

/** A fresh, empty database of its own on the test server; `drop` removes it (call it in a finally or afterEach). */
export type TestPgDatabase = OwnPgDatabase;

export const createTestPgDatabase = (serverUrl: string): Promise<TestPgDatabase> =>
  createOwnPgDatabase(serverUrl, `framescope_test_${randomBytes(6).toString('hex')}`, 'framescope test');

/** A fresh database with the PostgreSQL migrations applied, and a pool on it. */
export async function createMigratedPgDb(serverUrl: string): Promise<{ db: PgDb; database: TestPgDatabase; close(): Promise<void> }> {
  const database = await createTestPgDatabase(serverUrl);
  const db = openPg(database.url, { max: 4 });
  await applyPgMigrations(db);
  return {
    db,
    database,
    close: async () => {
      await db.$client.end();
      await database.drop();
    },
  };
}
