import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

/** One committed drizzle-kit migration. */
export interface MigrationInfo {
  /** File name without `.sql`, e.g. `0005_dashboard_theme_totals_drill_index`. */
  tag: string;
  /** The journal's timestamp (ms), which drizzle's migrator compares with the applied ones. */
  when: number;
}

/** The committed migrations in order, from drizzle-kit's journal. */
export function committedMigrations(migrationsFolder: string): MigrationInfo[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when }));
}

/** drizzle's table of applied migrations: in the database's main schema on SQLite, in the `drizzle` schema on PostgreSQL. */
export const MIGRATIONS_TABLE = { sqlite: '__drizzle_migrations', postgres: 'drizzle.__drizzle_migrations' } as const;

/**
 * The two questions drizzle's migrator asks a database, per engine: does its table of applied
 * migrations exist (a row when it does), and what is the latest `created_at` recorded there.
 */
export const APPLIED_MIGRATIONS_SQL = {
  sqlite: {
    present: `SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = '${MIGRATIONS_TABLE.sqlite}'`,
    latest: `SELECT max(created_at) AS at FROM ${MIGRATIONS_TABLE.sqlite}`,
  },
  postgres: {
    present: `SELECT 1 AS present WHERE to_regclass('${MIGRATIONS_TABLE.postgres}') IS NOT NULL`,
    latest: `SELECT max(created_at) AS at FROM ${MIGRATIONS_TABLE.postgres}`,
  },
} as const;

/**
 * The committed migrations newer than the latest applied one (`latest` undefined: no table yet,
 * so all of them), decided exactly as drizzle's migrator decides it.
 */
export function migrationsAfter(migrationsFolder: string, latest: { at: unknown } | undefined): MigrationInfo[] {
  const all = committedMigrations(migrationsFolder);
  const lastAt = latest?.at == null ? -Infinity : Number(latest.at);
  return all.filter((m) => m.when > lastAt);
}

/** The committed migrations a synchronous connection (SQLite, or the PostgreSQL driver of db/pg/sync) has not applied yet. */
export function pendingMigrations(sqlite: Database.Database, migrationsFolder: string, dialect: keyof typeof APPLIED_MIGRATIONS_SQL = 'sqlite'): MigrationInfo[] {
  const sql = APPLIED_MIGRATIONS_SQL[dialect];
  const present = sqlite.prepare(sql.present).get();
  return migrationsAfter(migrationsFolder, present ? (sqlite.prepare(sql.latest).get() as { at: unknown }) : undefined);
}
