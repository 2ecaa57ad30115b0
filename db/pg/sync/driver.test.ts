import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectOf, openPostgres, schema, type Db } from '../../client.ts';
import { createPgTestDb } from '../../testing.ts';
import { describePg } from '../testing.ts';
import { translatePlaceholders, type PgSyncDatabase } from './driver.ts';

describe('translatePlaceholders', () => {
  it("numbers SQLite's placeholders outside strings, quoted names and comments", () => {
    expect(translatePlaceholders(`SELECT ?, '?', "a?" FROM t -- ?\n WHERE x = ? /* ? */ AND y::text = ?`)).toEqual({
      text: `SELECT $1, '?', "a?" FROM t -- ?\n WHERE x = $2 /* ? */ AND y::text = $3`,
      order: [-1, -1, -1],
    });
    expect(translatePlaceholders(`SELECT ?2, ?1, @name, :name, 'it''s ?'`)).toEqual({ text: `SELECT $1, $2, $3, $3, 'it''s ?'`, order: [2, 1, 'name'] });
  });
});

describePg('the synchronous PostgreSQL driver', (serverUrl) => {
  let db: Db;
  let client: PgSyncDatabase;
  const open = () => {
    process.env.FRAMESCOPE_TEST_DATABASE_URL ??= serverUrl;
    db = createPgTestDb();
    client = db.$client as unknown as PgSyncDatabase;
  };
  afterEach(() => client?.close());

  it('answers as better-sqlite3 does: rows, pluck, raw, get, run with changes and the new id, iterate', () => {
    open();
    expect(dialectOf(db)).toBe('postgres');
    const insert = client.prepare('INSERT INTO sources (name, url) VALUES (?, ?)');
    const first = insert.run('Outlet A', 'https://a.example');
    const second = insert.run(['Outlet B', null]);
    expect(first.changes).toBe(1);
    expect(second.lastInsertRowid).toBe(Number(first.lastInsertRowid) + 1);
    expect(client.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 2 });
    expect(client.prepare('SELECT name FROM sources ORDER BY id').pluck().all()).toEqual(['Outlet A', 'Outlet B']);
    expect(client.prepare('SELECT id, name FROM sources WHERE name = @name').raw().all({ name: 'Outlet B' })).toEqual([[second.lastInsertRowid, 'Outlet B']]);
    expect(client.prepare('SELECT name FROM sources WHERE id = ?').get(999)).toBeUndefined();
    expect(client.prepare('UPDATE sources SET url = ? WHERE url IS NULL').run('https://b.example').changes).toBe(1);
    expect([...client.prepare('SELECT name FROM sources ORDER BY id').pluck().iterate()]).toEqual(['Outlet A', 'Outlet B']);
  });

  it("reads PostgreSQL's types as SQLite's: bigint and numeric as numbers, booleans as 1/0, timestamps as ISO text, json as text, bytea as a Buffer", () => {
    open();
    const row = client
      .prepare(`SELECT 9007199254740991::bigint AS big, 1.5::numeric AS num, true AS yes, false AS no, '2024-10-15 09:30:00.123+00'::timestamptz AS at, '{"a":[1,2]}'::jsonb AS doc, '\\x0102ff'::bytea AS bytes, DATE '2024-02-29' AS day`)
      .get() as Record<string, unknown>;
    expect(row).toEqual({ big: 9007199254740991, num: 1.5, yes: 1, no: 0, at: '2024-10-15T09:30:00.123Z', doc: '{"a": [1, 2]}', bytes: Buffer.from([1, 2, 255]), day: '2024-02-29' });
    expect(Buffer.isBuffer(row.bytes)).toBe(true);
  });

  it('commits a transaction, rolls it back when it throws, and a nested one back to its savepoint alone', () => {
    open();
    const count = () => (client.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n;
    db.transaction((tx) => tx.insert(schema.sources).values({ name: 'kept' }).run());
    expect(count()).toBe(1);
    expect(() =>
      db.transaction((tx) => {
        tx.insert(schema.sources).values({ name: 'lost' }).run();
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(count()).toBe(1);
    db.transaction((tx) => {
      tx.insert(schema.sources).values({ name: 'outer' }).run();
      expect(() =>
        tx.transaction((inner) => {
          inner.insert(schema.sources).values({ name: 'inner' }).run();
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(client.prepare('SELECT name FROM sources ORDER BY id').pluck().all()).toEqual(['kept', 'outer']);
    expect(client.inTransaction).toBe(false);
  });

  it("takes the database's one write lock for a write transaction, as SQLite's BEGIN IMMEDIATE does, and releases it at commit", () => {
    open();
    const advisory = () => (client.prepare("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").get() as { n: number }).n;
    db.transaction(() => expect(advisory()).toBe(1));
    expect(advisory()).toBe(0);
    client.transaction(() => expect(advisory()).toBe(0)).deferred();
  });

  it('prepares a parameterised statement once per connection and reuses it, up to a cap of distinct texts', () => {
    open();
    const prepared = () => (client.prepare('SELECT count(*) AS n FROM pg_prepared_statements').get() as { n: number }).n;
    const before = prepared();
    const insert = client.prepare('INSERT INTO sources (name, url) VALUES (?, ?)');
    for (let k = 0; k < 3; k++) insert.run(`Outlet ${k}`, null);
    const byId = client.prepare('SELECT name FROM sources WHERE name = ?').pluck();
    const names = Array.from({ length: 50 }, (_, k) => byId.get(`Outlet ${k % 4}`));
    expect(names.slice(0, 4)).toEqual(['Outlet 0', 'Outlet 1', 'Outlet 2', undefined]);
    // Two texts, however often they ran: two prepared statements; the unparameterised count is not prepared.
    expect(prepared() - before).toBe(2);
    // Texts that differ each time (a growing IN list, say) stop being prepared at the cap, and still answer.
    const sums = Array.from({ length: 2_050 }, (_, k) => client.prepare(`SELECT CAST(? AS integer) + ${k} AS n`).pluck().get(1));
    expect(sums.at(-1)).toBe(2_050);
    expect(prepared()).toBe(2_000);
  });

  it("reports PostgreSQL's errors with SQLite's codes and the statement, and keeps the connection usable", () => {
    open();
    client.prepare("INSERT INTO sources (name) VALUES ('same')").run();
    let error: unknown;
    try {
      client.prepare("INSERT INTO sources (name) VALUES ('same')").run();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect((error as { code?: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect((error as Error).message).toMatch(/INSERT INTO sources/);
    expect(client.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 1 });
  });

  it('reads times cast to text in UTC, whatever the server default, and reconnects after the server drops an idle connection', () => {
    open();
    expect(client.prepare("SELECT CAST(CAST('2024-10-15T23:30:00.000Z' AS timestamptz) AS TEXT) AS t").pluck().get()).toBe('2024-10-15 23:30:00+00');
    const pid = client.prepare('SELECT pg_backend_pid()').pluck().get() as number;
    const other = createPgTestDb();
    try {
      expect(other.$client.prepare('SELECT pg_terminate_backend(?)').pluck().get(pid)).toBe(1);
    } finally {
      other.$client.close();
    }
    // The first statement after the drop may meet the dead socket; the next one runs on a new connection.
    try {
      client.prepare('SELECT 1').get();
    } catch {
      // the dropped connection's own error
    }
    expect(client.prepare('SELECT 41 + 1 AS n').get()).toEqual({ n: 42 });
    expect(client.prepare('SELECT pg_backend_pid()').pluck().get()).not.toBe(pid);
  });

  it('refuses what has no PostgreSQL meaning instead of answering wrongly', () => {
    open();
    expect(() => client.pragma('integrity_check')).toThrow(/SQLite's/);
    expect(client.pragma('journal_mode', { simple: true })).toBe('wal');
    client.close();
    expect(() => client.prepare('SELECT 1')).toThrow(/not open/);
  });

  it('opens a database by its postgres:// URL through openDb, migrated, for the same drizzle queries', () => {
    open();
    const url = client.url;
    const other = openPostgres(new (client.constructor as typeof PgSyncDatabase)(url));
    try {
      other.insert(schema.sources).values({ name: 'seen by both' }).run();
      expect(db.select({ name: schema.sources.name }).from(schema.sources).all()).toEqual([{ name: 'seen by both' }]);
    } finally {
      other.$client.close();
    }
  });
});
