import Database from 'better-sqlite3';
import { serviceUnavailable, type AppError } from '../errors.ts';

/**
 * The answer to a database failure that is the server's condition rather than a bug: a
 * read-only database (with the reason found at start), a busy write lock, a full disk. Each is
 * a 503 that says what happened; the write was rolled back, so nothing half-done remains.
 */
export function databaseUnavailable(err: unknown, readOnlyReason: string | null | undefined): AppError | null {
  if (!(err instanceof Database.SqliteError)) return null;
  if (err.code.startsWith('SQLITE_READONLY')) {
    return serviceUnavailable(`the database is read-only${readOnlyReason ? ` (${readOnlyReason})` : ''}: reading works, nothing can be saved`, 'read_only');
  }
  if (err.code.startsWith('SQLITE_BUSY')) return serviceUnavailable('the database is busy (another process holds its write lock); nothing was saved, try again', 'busy', 1);
  if (err.code === 'SQLITE_FULL') return serviceUnavailable('the disk holding the database is full; nothing was saved', 'disk_full');
  return null;
}
