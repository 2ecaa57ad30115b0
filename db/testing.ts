import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openPostgres, PG_MIGRATIONS_FOLDER, type Db } from './client.ts';
import { createPgTestDatabase, createPgTestDatabaseUrl } from './pg/sync/driver.ts';

/**
 * Which database the suite runs on: SQLite (the default) or, with
 * FRAMESCOPE_TEST_DIALECT=postgres and FRAMESCOPE_TEST_DATABASE_URL naming a server where the
 * user may create databases, PostgreSQL (`npm run test:postgres`, and CI's second pass).
 */
export const testDialect = (): 'sqlite' | 'postgres' => (process.env.FRAMESCOPE_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite');

/**
 * A fresh migrated PostgreSQL database of its own for one test (a copy of a template migrated
 * once per set of migrations), dropped when its connection is closed.
 */
export function createPgTestDb(): Db {
  return openPostgres(createPgTestDatabase(testServerUrl(), PG_MIGRATIONS_FOLDER, templateName()), { migrate: false });
}

/**
 * The database setting a test hands to a process it spawns (`--db`, `FRAMESCOPE_DB`,
 * `DATABASE_URL`): an SQLite file in `dir` (not created: the process creates it), or, when the
 * suite runs on PostgreSQL, the URL of a fresh migrated database of its own, dropped when the
 * test finishes. Call it inside the test. `name` tells two databases of one test apart.
 */
export function testDatabaseTarget(dir: string, name = 'fs'): string {
  if (testDialect() === 'sqlite') return join(dir, `${name}.db`);
  const database = createPgTestDatabaseUrl(testServerUrl(), PG_MIGRATIONS_FOLDER, templateName());
  onTestFinished(() => database.drop());
  return database.url;
}

function testServerUrl(): string {
  const serverUrl = process.env.FRAMESCOPE_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('FRAMESCOPE_TEST_DIALECT=postgres needs FRAMESCOPE_TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB (run through .ci/with-postgres)');
  return serverUrl;
}

let template: string | undefined;
/** The template's name carries a hash of the committed migrations, so a new migration makes a new template. */
function templateName(): string {
  if (template) return template;
  const hash = createHash('sha256');
  for (const file of readdirSync(PG_MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort()) hash.update(file).update(readFileSync(join(PG_MIGRATIONS_FOLDER, file)));
  template = `framescope_template_${hash.digest('hex').slice(0, 12)}`;
  return template;
}
