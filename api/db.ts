import { openDb, type Db } from '../db/client.ts';
import { seedBundledCodebook } from './codebooks/service.ts';

/**
 * Opens and migrates the database (db/client.ts) and seeds what the app needs to start: the
 * bundled codebook, when no codebook is active. The server, the CLI and the test helpers open
 * their databases here.
 */
export function openAppDb(path: string): Db {
  const db = openDb(path);
  seedBundledCodebook(db);
  return db;
}
