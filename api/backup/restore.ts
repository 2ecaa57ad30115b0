import { copyFileSync, existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS_FOLDER } from '../../db/client.ts';
import { committedMigrations } from '../../db/migrate.ts';
import { openAppDb } from '../db.ts';
import { AppError } from '../errors.ts';
import { getStats, type Stats } from '../stats/service.ts';
import { durableRename, sidecars, verifyDatabaseFile } from './files.ts';
import { serverHolding, type ServerLock } from './lock.ts';

export interface RestoreOptions {
  /** Ask a running server to stop (SIGTERM) and wait for it, instead of refusing. */
  stopServer?: boolean;
  /** Keep no copy of the database being replaced. */
  discardCurrent?: boolean;
  /** ms to wait for a stopped server to let go */
  stopTimeoutMs?: number;
  now?: () => Date;
}

export interface RestoreResult {
  restored: string;
  from: string;
  /** Where the replaced database was kept, or null when there was none (or it was discarded). */
  previous: string | null;
  /** The server that was stopped first, if any. */
  stoppedServer: ServerLock | null;
  stats: Stats;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function letGo(dbPath: string, options: RestoreOptions): Promise<ServerLock | null> {
  const server = serverHolding(dbPath);
  if (!server) return null;
  if (!options.stopServer) {
    throw new AppError('server_running',
      `a Framescope server (process ${server.pid}, ${server.url}) is using ${dbPath}: stop it first, or run restore with --stop-server (if that process is not Framescope, delete ${dbPath}.server.json)`,
    );
  }
  process.kill(server.pid, 'SIGTERM');
  const deadline = Date.now() + (options.stopTimeoutMs ?? 15_000);
  while (serverHolding(dbPath)) {
    if (Date.now() > deadline) throw new AppError('server_running', `the server (process ${server.pid}) did not stop; nothing was restored`);
    await sleep(100);
  }
  return server;
}

/**
 * Checks that no other process is reading or writing the database: a checkpoint that must empty
 * the write-ahead log cannot finish while another connection (a tagging run from the CLI, a
 * server without its lock file) has a transaction open. Returns the connection.
 */
function exclusiveHandle(dbPath: string): Database.Database {
  const sqlite = new Database(dbPath, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 2000'); // 2 s for a writer to finish its transaction
  const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (result && result.busy !== 0) {
    sqlite.close();
    throw new AppError('database_in_use', `another process has ${dbPath} open (its write-ahead log could not be emptied); close it and try again, nothing was restored`);
  }
  return sqlite;
}

/**
 * Replaces the database at `dbPath` with a verified backup. Refuses while a server holds the
 * database (or stops it with `stopServer`), and while any other process has it open. The
 * current database, its write-ahead log included, is kept beside it as
 * `<db>.before-restore-<time>` unless discarded; its `-wal` and `-shm` files are removed, so no
 * log of the old database is ever replayed onto the restored one. The backup is copied under a
 * temporary name and renamed into place, then migrated to this version and checked again.
 */
export async function restoreDatabase(backupPath: string, dbPath: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  if (!existsSync(backupPath)) throw new AppError('not_found', `backup ${backupPath} not found`);
  const check = verifyDatabaseFile(backupPath);
  if (check.integrity !== 'ok') throw new AppError('backup_corrupt', `backup ${backupPath} fails its integrity check (${check.integrity}); nothing was restored`);
  if (check.migratedAt === null || check.reviews === null) throw new AppError('not_a_backup', `${backupPath} is not a Framescope database`);
  const newest = Math.max(...committedMigrations(MIGRATIONS_FOLDER).map((m) => m.when));
  if (check.migratedAt > newest) throw new AppError('backup_too_new', `${backupPath} was written by a newer Framescope (its schema is ahead of this version); upgrade first`);

  const stoppedServer = await letGo(dbPath, options);
  let previous: string | null = null;
  if (existsSync(dbPath)) {
    const current = exclusiveHandle(dbPath);
    try {
      if (!options.discardCurrent) {
        previous = `${dbPath}.before-restore-${(options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
        current.prepare('VACUUM INTO ?').run(previous);
      }
    } finally {
      current.close();
    }
  }
  const incoming = `${dbPath}.restore-partial`;
  try {
    copyFileSync(backupPath, incoming);
    for (const file of [dbPath, ...sidecars(dbPath)]) rmSync(file, { force: true });
    durableRename(incoming, dbPath);
  } finally {
    rmSync(incoming, { force: true });
  }
  const db = openAppDb(dbPath);
  try {
    const after = verifyDatabaseFile(dbPath);
    if (after.integrity !== 'ok') throw new AppError('restore_failed', `the restored database fails its integrity check (${after.integrity})`);
    return { restored: dbPath, from: backupPath, previous, stoppedServer, stats: getStats(db) };
  } finally {
    db.$client.close();
  }
}
