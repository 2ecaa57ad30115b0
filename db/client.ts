import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { pendingMigrations, type MigrationInfo } from './migrate.ts';
import * as schema from './schema/index.ts';
import { withStatementCache } from './statements.ts';

/** Whether `err` is SQLite's answer that another connection holds the lock (SQLITE_BUSY and its extended codes). */
export const isBusy = (err: unknown): err is Database.SqliteError => err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY');

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle (better-sqlite3 transactions are synchronous). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type DbOrTx = Db | Tx;

/**
 * Which database engine a connection (or a transaction on it) talks to. The app's SQL is
 * written once; the few fragments that differ between SQLite and PostgreSQL are chosen by this
 * (db/sqlDialect.ts). A PostgreSQL connection is a driver object that marks itself
 * `framescopeDialect: 'postgres'` (db/pg/sync); a better-sqlite3 one carries no mark.
 */
export function dialectOf(db: DbOrTx | Database.Database): 'sqlite' | 'postgres' {
  const client = 'prepare' in db ? db : ((db as { $client?: unknown }).$client ?? (db as unknown as { session: { client: unknown } }).session.client);
  return (client as { framescopeDialect?: string }).framescopeDialect === 'postgres' ? 'postgres' : 'sqlite';
}

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  /** Open without write access (tests of the read-only path; verifying a backup). */
  readonly?: boolean;
  /** Apply pending migrations (default true); the `migrate` command applies them itself to report them. */
  migrate?: boolean;
}

/**
 * Opens (creating if needed) the SQLite database at `path` (or `:memory:`), sets WAL mode,
 * foreign keys and a busy timeout, and applies every committed migration. A database this
 * process cannot write is opened for reading when it needs no migration (the app then answers
 * writes with 503 and the reason); one that would need a migration is refused with the reason.
 */
export function openDb(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  let sqlite = new Database(path, options.readonly ? { readonly: true, fileMustExist: true } : {});
  if (!options.readonly) {
    try {
      sqlite.pragma('journal_mode = WAL');
    } catch (err) {
      // A WAL file in a folder this process cannot write opens only as a read-only connection.
      if (!isReadOnlyError(err)) throw err;
      sqlite.close();
      sqlite = new Database(path, { readonly: true, fileMustExist: true });
      try {
        sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
      } catch (inner) {
        sqlite.close();
        if (!isReadOnlyError(inner)) throw inner;
        throw new Error(`database ${path} cannot be opened: its folder ${dirname(path)} is not writable, and SQLite must create ${path}-shm beside a WAL database even to read it; make the folder writable or copy the database somewhere writable`);
      }
    }
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000'); // 5 s: another process (a CLI run beside the server) may hold the write lock
  if (!sqlite.readonly) sqlite.pragma('synchronous = NORMAL'); // safe with WAL: a crash loses at most the last commits, never corrupts
  const db = drizzle(withStatementCache(sqlite), { schema, casing: 'snake_case' }) as Db;
  // Raw callers get the connection itself, their statements outside drizzle's cache.
  db.$client = sqlite;
  if (options.migrate === false) return sqlite.readonly ? db : writeFirst(db);
  const readOnly = readOnlyReason(db);
  if (readOnly) {
    const pending = pendingMigrations(sqlite, MIGRATIONS_FOLDER);
    if (pending.length > 0) {
      sqlite.close();
      throw new Error(`database ${path} is read-only (${readOnly}) and needs ${pending.length} migration(s) (${pending.map((m) => m.tag).join(', ')}) before it can be served`);
    }
    return db;
  }
  writeFirst(db);
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

/**
 * Makes the connection's transactions take the write lock when they begin: a deferred one that
 * reads, then writes after a job's thread committed, fails at once with SQLITE_BUSY instead of
 * waiting its turn. Only for a writable connection (a read-only one cannot take the lock).
 */
function writeFirst(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn, config) => transaction(fn, { behavior: 'immediate', ...config })) as Db['transaction'];
  return db;
}

/** Applies the pending committed migrations and returns what was applied, oldest first. */
export function applyMigrations(db: Db): MigrationInfo[] {
  const pending = pendingMigrations(db.$client, MIGRATIONS_FOLDER);
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return pending;
}

/**
 * Why this connection cannot write, or null when it can. Probes with a write that changes
 * nothing (rewriting the schema cookie's neighbour, `user_version`, to its own value), then
 * explains a refusal from what the file system says.
 */
export function readOnlyReason(db: Db): string | null {
  const sqlite = db.$client;
  if (sqlite.memory) return null;
  try {
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    sqlite.pragma(`user_version = ${Number(version)}`);
    return null;
  } catch (err) {
    if (!isReadOnlyError(err)) throw err;
  }
  const path = sqlite.name;
  if (!canWrite(path)) return `the file ${path} is not writable by this user`;
  if (!canWrite(dirname(path))) return `its folder ${dirname(path)} is not writable (SQLite needs to create the -wal and -shm files beside it)`;
  if (sqlite.readonly) return 'opened read-only';
  return `SQLite cannot write ${path} (a read-only file system or mount)`;
}

const isReadOnlyError = (err: unknown) => err instanceof Database.SqliteError && err.code.startsWith('SQLITE_READONLY');

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export { schema };
