import { existsSync, rmSync, statSync } from 'node:fs';
import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { durableRename, verifyDatabaseFile } from './files.ts';

/** What a backup wrote. */
export interface BackupResult {
  file: string;
  bytes: number;
  /** ms spent copying and verifying */
  ms: number;
  reviews: number;
  /** A stale temporary file of an earlier, interrupted backup was removed first. */
  removedStale: boolean;
}

/** The temporary name a backup is written under until it is verified. */
export const partialPathFor = (target: string) => `${target}.partial`;

/**
 * Writes a consistent copy of the database to `target` while others keep writing.
 *
 * `VACUUM INTO` copies one read snapshot in a single pass: concurrent writers (the server, a
 * tagging run) go on appending to the write-ahead log and never make it start over, unlike the
 * online backup API stepping a few pages at a time, which restarts whenever another connection
 * writes. The copy is written under a temporary name, checked with `PRAGMA integrity_check`,
 * flushed and only then renamed to `target`, so `target` is either absent or a verified whole
 * database; a failure or a kill leaves no file that looks like a backup, and a rerun works.
 */
export function backupDatabase(db: Db, target: string, now: () => number = Date.now): BackupResult {
  if (db.$client.memory) throw new AppError('not_a_file', 'an in-memory database cannot be backed up');
  if (existsSync(target)) throw new AppError('backup_exists', `${target} already exists; choose a new file name`);
  const partial = partialPathFor(target);
  const removedStale = existsSync(partial);
  rmSync(partial, { force: true });
  const started = now();
  try {
    db.$client.prepare('VACUUM INTO ?').run(partial);
    const check = verifyDatabaseFile(partial);
    if (check.integrity !== 'ok') throw new AppError('backup_failed', `the copy failed its integrity check (${check.integrity}); nothing was written to ${target}`);
    durableRename(partial, target);
    return { file: target, bytes: statSync(target).size, ms: now() - started, reviews: check.reviews ?? 0, removedStale };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
