import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

/** The connection drizzle prepares on under a database or one of its transactions (the same object for both). */
function connectionOf(db: DbOrTx): Database.Database {
  return (db as unknown as { session: { client: Database.Database } }).session.client;
}

/**
 * Queries built once per connection and reused: `build` makes drizzle prepared queries (values
 * as `sql.placeholder`), which skip drizzle's query building on every later call — in a review
 * request that building was about a third of the server thread's CPU (bench:load profile). The
 * returned function hands out the set built for the connection under `db`, whether `db` is the
 * database or a transaction on it: better-sqlite3 transactions belong to the connection, so a
 * query prepared outside one runs inside it. A closed connection's set goes with it (the key is
 * weak); a schema change is handled by SQLite, which prepares a statement again when the schema
 * it was compiled against changed.
 */
export function perConnection<T>(build: (db: DbOrTx) => T): (db: DbOrTx) => T {
  const built = new WeakMap<Database.Database, T>();
  return (db) => {
    const connection = connectionOf(db);
    let queries = built.get(connection);
    if (queries === undefined) {
      queries = build(db);
      built.set(connection, queries);
    }
    return queries;
  };
}

/**
 * A placeholder bound exactly as given, without the column's encoding (so drizzle's types also
 * take it as an update's value): booleans go as 0 or 1, JSON as `jsonText`.
 */
export const bound = (name: string) => sql`${sql.placeholder(name)}`;

/** A JSON column's value as drizzle stores it: null stays NULL (drizzle's encoding of a placeholder would store the text 'null'). */
export const jsonText = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));
