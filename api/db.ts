import { openDb, readOnlyReason, type Db, type OpenOptions } from '../db/client.ts';
import { seedBundledCodebook } from './codebooks/service.ts';

/**
 * Opens and migrates the database (db/client.ts) and seeds what the app needs to start: the
 * bundled codebook, when no codebook is active. The server, the CLI and the test helpers open
 * their databases here. A database opened without migrating, or one this process cannot write
 * (served read-only), is left as it is.
 */
export function openAppDb(path: string, options: OpenOptions = {}): Db {
  const db = openDb(path, options);
  if (options.migrate !== false && !readOnlyReason(db)) seedBundledCodebook(db);
  return db;
}
