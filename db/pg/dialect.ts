import type { Dialect } from '../dialect.ts';
import { redactUrl } from '../dialect.ts';
import { applyPgMigrations, openPg, type PgDb, type PgDbOrTx, type PgOpenOptions } from './client.ts';
import { PgJobQueue } from './jobQueue.ts';

/** A PostgreSQL database (`postgres://...`) as a Dialect: a pool, its migrations, the SKIP LOCKED job queue. */
export function openPgDialect(url: string, options: PgOpenOptions = {}): Dialect<PgDb, PgDbOrTx> {
  const db = openPg(url, options);
  return {
    name: 'postgres',
    location: redactUrl(url),
    db,
    migrate: () => applyPgMigrations(db),
    jobs: new PgJobQueue(db),
    close: () => db.$client.end(),
  };
}
