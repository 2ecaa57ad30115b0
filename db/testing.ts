import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgres, PG_MIGRATIONS_FOLDER, type Db } from './client.ts';
import { createPgTestDatabase } from './pg/sync/driver.ts';

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
  const serverUrl = process.env.FRAMESCOPE_TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('FRAMESCOPE_TEST_DIALECT=postgres needs FRAMESCOPE_TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB (run through .ci/with-postgres)');
  return openPostgres(createPgTestDatabase(serverUrl, PG_MIGRATIONS_FOLDER, templateName()), { migrate: false });
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
