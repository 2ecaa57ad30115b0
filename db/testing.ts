import { openDb, type Db } from './client.ts';

/** A fresh, migrated in-memory database for one test. */
export function createTestDb(): Db {
  return openDb(':memory:');
}
