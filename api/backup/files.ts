import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Flushes a file, or a folder's entries, to disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames `from` to `to` once both the file and the rename are on disk, so a crash leaves one or the other whole. */
export function durableRename(from: string, to: string): void {
  fsyncPath(from);
  renameSync(from, to);
  fsyncPath(dirname(to));
}

/** The SQLite files that belong to a database: the file itself and its write-ahead log and index. */
export const sidecars = (dbPath: string) => [`${dbPath}-wal`, `${dbPath}-shm`];

/** A copy's verdict: SQLite's full integrity check, and whether it is a Framescope database. */
export interface Verification {
  /** `ok`, or the first problem integrity_check reported. */
  integrity: string;
  /** Latest applied migration's timestamp (ms), or null when the file has no Framescope schema. */
  migratedAt: number | null;
  reviews: number | null;
}

/** Opens a database file read-only and checks it page by page (PRAGMA integrity_check). */
export function verifyDatabaseFile(path: string): Verification {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const integrity = rows.length === 1 && rows[0]!.integrity_check === 'ok' ? 'ok' : (rows[0]?.integrity_check ?? 'no answer');
    const has = (table: string) => sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
    const migratedAt = has('__drizzle_migrations') ? Number((sqlite.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get() as { at: number | null }).at ?? NaN) : null;
    const reviews = has('reviews') ? (sqlite.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n : null;
    return { integrity, migratedAt: Number.isFinite(migratedAt) ? migratedAt : null, reviews };
  } finally {
    sqlite.close();
  }
}
