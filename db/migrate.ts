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

/**
 * The committed migrations a database has not applied yet, decided exactly as drizzle's
 * migrator decides it: those newer than the latest one recorded in `__drizzle_migrations`.
 */
export function pendingMigrations(sqlite: Database.Database, migrationsFolder: string): MigrationInfo[] {
  const all = committedMigrations(migrationsFolder);
  const table = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get();
  if (!table) return all;
  const last = sqlite.prepare('SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as { at: number | string } | undefined;
  const lastAt = last ? Number(last.at) : -Infinity;
  return all.filter((m) => m.when > lastAt);
}
