import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { dialectOf, type Db } from './client.ts';
import { parseDatabaseTarget, redactUrl } from './dialect.ts';
import { PgSyncDatabase } from './pg/sync/driver.ts';

/**
 * The database setting (`--db`, `FRAMESCOPE_DB`, `DATABASE_URL`) as the code above db/ uses it:
 * an SQLite file path or a PostgreSQL URL, opened the same way (`openDb`). What differs between
 * the two for the app's own files and helpers (a file beside which the app keeps its server
 * lock, WAL and write gate; a URL whose password must never be printed) is answered here, so
 * the callers ask a question instead of naming an engine.
 */

/** What opens this database again from another thread or process (a job thread, the tagging writer, the export reader): its file path, or its full URL, password included (never print it: `describeTarget`). */
export function reopenTarget(db: Db): string {
  const client = db.$client as unknown as { name: string; url?: string };
  return dialectOf(db) === 'postgres' && client.url ? client.url : client.name;
}

/** The setting as messages and logs name it: the file path, or the URL without its password. */
export function describeTarget(target: string): string {
  return parseDatabaseTarget(target).dialect === 'postgres' ? redactUrl(target) : target;
}

/**
 * Whether the database is an SQLite file on this machine: only then do the file-side mechanisms
 * apply (the server lock beside it, WAL checkpoints, the write gate between threads, file
 * backups and restores). A server database has its own locking, durability and backups.
 */
export function isFileDatabase(target: string): boolean {
  return parseDatabaseTarget(target).dialect === 'sqlite' && target !== ':memory:';
}

/** Whether the setting names a database that is there to be read: an existing file, or a server (which says so itself when it is not). */
export function databaseExists(target: string): boolean {
  if (parseDatabaseTarget(target).dialect === 'postgres') return true;
  return target !== ':memory:' && existsSync(target);
}

/**
 * Where the app keeps the local files that belong to a database (job files, provider keys), as a
 * path without extension: beside an SQLite file, `data/framescope` for `data/framescope.db`; for
 * a server database, `data/<database name>` in the working folder (as the default SQLite file
 * is), since a URL names no folder.
 */
export function localFilesStem(target: string): string {
  const parsed = parseDatabaseTarget(target);
  if (parsed.dialect === 'sqlite') return join(dirname(target), basename(target, extname(target)));
  const name = decodeURIComponent(new URL(target).pathname.replace(/^\//, '')) || 'postgres';
  return join('data', name.replace(/[^A-Za-z0-9_.-]/g, '_'));
}

/**
 * A second connection that only reads, for work that runs beside the app's own connection (the
 * export worker): SQLite opened read-only, or a PostgreSQL connection whose transactions are
 * READ ONLY. Either answers `prepare`/`iterate` as better-sqlite3 does.
 */
export function openReader(target: string): Database.Database {
  if (parseDatabaseTarget(target).dialect === 'postgres') {
    const pg = new PgSyncDatabase(target, { applicationName: 'framescope reader' });
    pg.exec('SET default_transaction_read_only = on');
    return pg as unknown as Database.Database;
  }
  const sqlite = new Database(target, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000'); // 5 s, as the app's own connection
  return sqlite;
}
