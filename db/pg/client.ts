import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { PG_MIGRATIONS_FOLDER } from '../client.ts';
import { APPLIED_MIGRATIONS_SQL, migrationsAfter, type MigrationInfo } from '../migrate.ts';
import * as pgSchema from './schema/index.ts';

/** The app's schema on PostgreSQL, through a connection pool. */
export type PgDb = NodePgDatabase<typeof pgSchema> & { $client: pg.Pool };
/** A PostgreSQL transaction handle (asynchronous: its callback returns a promise). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
/** Anything queries can run on: the pool or an open transaction. */
export type PgDbOrTx = PgDb | PgTx;

/** Defined once with the app's connection (db/client.ts); named here too for the pool's callers. */
export { PG_MIGRATIONS_FOLDER };

export interface PgOpenOptions {
  /** Connections in the pool at most (default 10). */
  max?: number;
  /** Shown in pg_stat_activity, so a DBA sees which process holds a connection. */
  applicationName?: string;
}

/** Opens a pool on `url` (`postgres://user:pass@host:port/db`); nothing is migrated. */
export function openPg(url: string, options: PgOpenOptions = {}): PgDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: options.applicationName ?? 'framescope' });
  // An idle connection the server drops (restart, failover) must not crash the process.
  pool.on('error', () => {});
  return drizzle(pool, { schema: pgSchema, casing: 'snake_case' }) as PgDb;
}

/** Applies the committed PostgreSQL migrations the database lacks; returns them, oldest first. */
export async function applyPgMigrations(db: PgDb): Promise<MigrationInfo[]> {
  const pending = await pendingPgMigrations(db);
  await migrate(db, { migrationsFolder: PG_MIGRATIONS_FOLDER });
  return pending;
}

/**
 * The committed PostgreSQL migrations not applied yet, decided as drizzle's migrator decides it
 * (newer than the latest `created_at` in drizzle.__drizzle_migrations).
 */
export async function pendingPgMigrations(db: PgDb): Promise<MigrationInfo[]> {
  const sql = APPLIED_MIGRATIONS_SQL.postgres;
  const present = (await db.$client.query(sql.present)).rows.length > 0;
  return migrationsAfter(PG_MIGRATIONS_FOLDER, present ? (await db.$client.query(sql.latest)).rows[0] : undefined);
}

export { pgSchema };
