import type Database from 'better-sqlite3';

/** Statements kept per connection: every distinct query the app runs, with room for id lists of many lengths. */
const DEFAULT_SIZE = 512;

/**
 * The connection as drizzle should see it: the same better-sqlite3 database, except that
 * `prepare` reuses the statement last compiled for the same SQL (least recently used dropped
 * beyond `size`). Drizzle compiles every query it runs afresh; in the server's review requests
 * that compile was about an eighth of the main thread's CPU (bench:load profile). Only drizzle's
 * queries go through it (raw `$client.prepare` callers keep their own statements, with whatever
 * pluck/raw mode they set): drizzle runs a statement straight after preparing it and sets the
 * output mode it needs, so a reused statement has its modes reset to rows-as-objects first, and
 * one still being stepped by an iterator is never handed out twice.
 */
export function withStatementCache(sqlite: Database.Database, size = DEFAULT_SIZE): Database.Database {
  const statements = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const kept = statements.get(source);
    if (kept && !kept.busy) {
      statements.delete(source);
      statements.set(source, kept);
      if (kept.reader) kept.pluck(false).expand(false).raw(false);
      return kept;
    }
    const fresh = sqlite.prepare(source);
    if (!kept) {
      statements.set(source, fresh);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
    }
    return fresh;
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
