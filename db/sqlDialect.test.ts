import Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppDb } from '../api/db.ts';
import { importDemoCorpus } from '../api/ingest/demo.ts';
import { ROLLUP_TABLES, rebuildStatements } from '../api/dashboard/rollups.ts';
import { addingTo, additionsSql, createBatchTables, stanceFill } from '../api/dashboard/rollupSql.ts';
import { compareFill } from '../api/dashboard/compareRollups.ts';
import type { Db } from './client.ts';
import { copySqliteToPg } from './pg/copy.ts';
import { createMigratedPgDb, describePg } from './pg/testing.ts';
import {
  countWhere,
  createTempTableLikeText,
  flag,
  indexedByText,
  isoTimeText,
  jsonArrayAggText,
  jsonArrayElementsFromText,
  jsonArrayLengthOf,
  jsonArrayOfText,
  jsonBoolText,
  jsonKeyIs,
  jsonKeyIsTrue,
  joinLinesText,
  jsonArrayValues,
  jsonIntegerKeyedEntries,
  jsonObjectAgg,
  jsonObjectOfText,
  jsonTextAtText,
  jsonValueText,
  monthOf,
  tempTableText,
  yearOf,
  type SqlDialect,
} from './sqlDialect.ts';

/**
 * Each fragment of db/sqlDialect.ts, and the app's conventions for SQL that runs on both engines
 * (boolean literals, NULLS FIRST), run on a real SQLite :memory: database and, with a server, on a
 * real PostgreSQL one, with the same answers. PostgreSQL gets the text exactly as the sync driver
 * will send it: SQLite's rendering with `?` numbered `$1..`.
 */

const render = (query: SQL) => new SQLiteSyncDialect().sqlToQuery(query);
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** One engine: a table `t` of the same rows (an integer, a boolean, a date, a JSON text), and a way to read rows as arrays. */
interface Engine {
  dialect: SqlDialect;
  rows(query: SQL): Promise<unknown[][]>;
  exec(text: string): Promise<void>;
}

const ROWS: [number | null, boolean, string | null, string | null][] = [
  [1, true, '2021-11-30', '{"labels":["a","b"],"flag":true,"n":0.5,"s":"x"}'],
  [2, false, '2022-02-01', '{"labels":[],"flag":false,"n":1}'],
  [3, false, null, null],
  [null, true, '2022-12-31', '{"flag":null}'],
];

function sqliteEngine(): Engine & { close(): void } {
  const c = new Database(':memory:');
  c.exec('CREATE TABLE t (x INTEGER, b INTEGER NOT NULL, d TEXT, j TEXT)');
  const insert = c.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  for (const [x, b, d, j] of ROWS) insert.run(x, b ? 1 : 0, d, j);
  return {
    dialect: 'sqlite',
    rows: async (query) => {
      const q = render(query);
      return c.prepare(q.sql).raw().all(...(q.params as unknown[])) as unknown[][];
    },
    exec: async (text) => void c.exec(text),
    close: () => c.close(),
  };
}

/** Digits as a number, for comparing rollup rows (pg gives bigint and numeric as text). */
const asSqlite = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v);

/** pg's type ids of the numbers the sync driver returns as JS numbers (int2, int4, int8, float4, float8, numeric) and of boolean. */
const NUMERIC_TYPES = new Set([20, 21, 23, 700, 701, 1700]);
const BOOLEAN_TYPE = 16;
/** Every value as its text (json stays the JSON text, as the sync driver returns it), then numbers and booleans as SQLite gives them. */
const asText = { getTypeParser: () => (value: string) => value };
const shaped = (value: unknown, type: number) => (value === null ? null : NUMERIC_TYPES.has(type) ? Number(value) : type === BOOLEAN_TYPE ? Number(value === 't') : value);

async function pgEngine(client: pg.PoolClient): Promise<Engine> {
  await client.query('CREATE TEMP TABLE t (x bigint, b boolean NOT NULL, d date, j jsonb)');
  for (const row of ROWS) await client.query('INSERT INTO t VALUES ($1, $2, $3, $4)', row);
  return {
    dialect: 'postgres',
    rows: async (query) => {
      const q = render(query);
      const result = await client.query({ text: numbered(q.sql), values: q.params as unknown[], rowMode: 'array', types: asText });
      return (result.rows as unknown[][]).map((r) => r.map((v, k) => shaped(v, result.fields[k]!.dataTypeID)));
    },
    exec: async (text) => void (await client.query(text)),
  };
}

/** Every case: what it runs, and the answer both engines must give. */
function cases(e: Engine): [name: string, run: () => Promise<unknown>, expected: unknown][] {
  return [
    ['countWhere counts the rows a condition holds for (NULLs not), where sum(condition) has no PostgreSQL form', () => e.rows(sql`SELECT coalesce(${countWhere(sql`x > 1`)}, 0), coalesce(${countWhere(sql`x > 9`)}, 0) FROM t`), [[2, 0]]],
    ['flag is 1 or 0', () => e.rows(sql`SELECT x, ${flag(sql`x >= 2`)} FROM t WHERE x IS NOT NULL ORDER BY x`), [[1, 0], [2, 1], [3, 1]]],
    ['a boolean column compares with TRUE and FALSE', () => e.rows(sql`SELECT count(*) FROM t WHERE b = FALSE`), [[2]]],
    ['monthOf and yearOf of a date column, NULL for NULL', () => e.rows(sql`SELECT ${monthOf(sql`d`)}, ${yearOf(sql`d`)} FROM t ORDER BY x NULLS FIRST`), [['2022-12', '2022'], ['2021-11', '2021'], ['2022-02', '2022'], [null, null]]],
    ['a date column compares with a YYYY-MM-DD parameter', () => e.rows(sql`SELECT x FROM t WHERE d >= ${'2021-12-01'} AND d <= ${'2022-02-28'}`), [[2]]],
    ['NULLS FIRST sorts as SQLite does by default', () => e.rows(sql`SELECT x FROM t ORDER BY x NULLS FIRST`), [[null], [1], [2], [3]]],
    ['jsonArrayValues of integers, for IN', () => e.rows(sql`SELECT x FROM t WHERE x IN (${jsonArrayValues(e.dialect, sql`${JSON.stringify([3, 1, 7])}`, 'integer')}) ORDER BY x`), [[1], [3]]],
    ['jsonArrayValues of strings', () => e.rows(sql`SELECT count(*) FROM (${jsonArrayValues(e.dialect, sql`${JSON.stringify(['a', 'b'])}`, 'text')}) AS v WHERE value IN ('b', 'c')`), [[1]]],
    ['jsonIntegerKeyedEntries: an object keyed by ids', () => e.rows(sql`SELECT key, value FROM (${jsonIntegerKeyedEntries(e.dialect, sql`${JSON.stringify({ 2: 'left', 10: 'right' })}`)}) AS u ORDER BY key`), [[2, 'left'], [10, 'right']]],
    ['jsonIntegerKeyedEntries joins an integer column', () => e.rows(sql`WITH u(x, unit) AS (${jsonIntegerKeyedEntries(e.dialect, sql`${JSON.stringify({ 1: 'a', 3: 'a' })}`)}) SELECT unit, sum(t.x) FROM t JOIN u USING (x) GROUP BY unit`), [['a', 4]]],
    [
      'jsonObjectAgg packs a group as one JSON object',
      async () => (await e.rows(sql`SELECT ${jsonObjectAgg(e.dialect, sql`CAST(x AS TEXT)`, sql`${flag(sql`b = TRUE`)}`)} FROM t WHERE x IS NOT NULL`)).map(([json]) => JSON.parse(String(json))),
      [{ 1: 1, 2: 0, 3: 0 }],
    ],
    ['jsonArrayLengthOf: the length of an array under a key, NULL without one', () => e.rows(sql`SELECT x, ${jsonArrayLengthOf(e.dialect, sql`j`, 'labels')} FROM t WHERE x IS NOT NULL ORDER BY x`), [[1, 2], [2, 0], [3, null]]],
    ['jsonKeyIsTrue: only a JSON true', () => e.rows(sql`SELECT x FROM t WHERE ${jsonKeyIsTrue(e.dialect, sql`j`, 'flag')}`), [[1]]],
    [
      'jsonKeyIs: a number, a string, or null for missing and JSON null',
      async () => [
        await e.rows(sql`SELECT x FROM t WHERE ${jsonKeyIs(e.dialect, sql`j`, 'n', 0.5)}`),
        await e.rows(sql`SELECT x FROM t WHERE ${jsonKeyIs(e.dialect, sql`j`, 's', 'x')}`),
        await e.rows(sql`SELECT x FROM t WHERE j IS NOT NULL AND ${jsonKeyIs(e.dialect, sql`j`, 'n', null)} ORDER BY x NULLS FIRST`),
      ],
      [[[1]], [[1]], [[null]]],
    ],
    [
      'jsonArrayElementsFromText: the elements of an array column beside its row',
      () => e.rows(sql.raw(`SELECT t.x, e.value FROM t, ${jsonArrayElementsFromText(e.dialect, e.dialect === 'sqlite' ? `json_extract(t.j, '$.labels')` : `(t.j -> 'labels')`, 'e')} WHERE t.x = 1 AND FALSE = FALSE ORDER BY e.value`)),
      [[1, 'a'], [1, 'b']],
    ],
    [
      'jsonArrayAggText: an array of arrays in row order, [] for no rows',
      async () => (await e.rows(sql.raw(`SELECT (SELECT ${jsonArrayAggText(e.dialect, jsonArrayOfText(e.dialect, ['o.x', 'o.x * 10']))} FROM (SELECT u.x FROM t u WHERE u.x > t.x ORDER BY u.x) o) FROM t WHERE t.x IN (1, 3) ORDER BY t.x`))).map(([json]) => JSON.parse(String(json))),
      [[[2, 20], [3, 30]], []],
    ],
    [
      'jsonArrayAggText with orderBy: the order asked for, whatever the scan',
      async () => (await e.rows(sql.raw(`SELECT ${jsonArrayAggText(e.dialect, 'u.x', 'u.x DESC')} FROM t u WHERE u.x IS NOT NULL`))).map(([json]) => JSON.parse(String(json))),
      [[3, 2, 1]],
    ],
    [
      'jsonObjectOfText: keys in the order given, a JSON column as JSON, a condition as a JSON boolean, a time as ISO text',
      async () => {
        const t = e.dialect === 'sqlite' ? `'2024-10-15T09:30:00.120Z'` : `CAST('2024-10-15 11:30:00.12+02' AS timestamp(3) with time zone)`;
        const object = jsonObjectOfText(e.dialect, [['x', 'x'], ['j', jsonValueText(e.dialect, 'j')], ['b', jsonBoolText(e.dialect, 'b = TRUE')], ['at', isoTimeText(e.dialect, t)]]);
        return (await e.rows(sql.raw(`SELECT ${object} FROM t WHERE x IN (1, 2) ORDER BY x`))).map(([json]) => Object.entries(JSON.parse(String(json)) as Record<string, unknown>));
      },
      [
        [['x', 1], ['j', { labels: ['a', 'b'], flag: true, n: 0.5, s: 'x' }], ['b', true], ['at', '2024-10-15T09:30:00.120Z']],
        [['x', 2], ['j', { labels: [], flag: false, n: 1 }], ['b', false], ['at', '2024-10-15T09:30:00.120Z']],
      ],
    ],
    ['jsonTextAtText: a key of a JSON column as text, NULL when missing', () => e.rows(sql.raw(`SELECT x, ${jsonTextAtText(e.dialect, 'j', 's')} FROM t WHERE j IS NOT NULL ORDER BY x NULLS FIRST`)), [[null, null], [1, 'x'], [2, null]]],
    ['indexedByText: a hint SQLite follows and PostgreSQL never sees', async () => {
      await e.exec('CREATE INDEX IF NOT EXISTS t_x_idx ON t (x)');
      return e.rows(sql.raw(`SELECT count(*) FROM t${indexedByText(e.dialect, 't_x_idx')} WHERE x > 1`));
    }, [[2]]],
    ['joinLinesText joins a group with newlines', () => e.rows(sql.raw(`SELECT ${joinLinesText(e.dialect, 'v.s')} FROM (SELECT CAST(x AS TEXT) AS s FROM t WHERE x IS NOT NULL ORDER BY x) AS v`)), [['1\n2\n3']]],
    [
      'a temporary table shaped like a select, filled and read by its qualified name',
      async () => {
        await e.exec(createTempTableLikeText(e.dialect, 'batch_t', 2, 'SELECT x, count(*) FROM t WHERE FALSE GROUP BY x'));
        await e.exec(`INSERT INTO ${tempTableText(e.dialect, 'batch_t')} SELECT x, count(*) FROM t WHERE x IS NOT NULL GROUP BY x`);
        await e.exec(createTempTableLikeText(e.dialect, 'batch_t', 2, 'SELECT x, count(*) FROM t WHERE FALSE GROUP BY x'));
        return e.rows(sql.raw(`SELECT sum(c0), sum(c1) FROM ${tempTableText(e.dialect, 'batch_t')}`));
      },
      [[6, 3]],
    ],
  ];
}

describe('SQL fragments on SQLite', () => {
  const e = sqliteEngine();
  afterAll(() => e.close());
  for (const [name, run, expected] of cases(e)) it(name, async () => expect(await run()).toEqual(expected));
});

describePg('SQL fragments on PostgreSQL', (serverUrl) => {
  let pgDb: Awaited<ReturnType<typeof createMigratedPgDb>>;
  let client: pg.PoolClient;
  const e: Engine = { dialect: 'postgres', rows: (q) => engine.rows(q), exec: (t) => engine.exec(t) };
  let engine: Engine;
  beforeAll(async () => {
    pgDb = await createMigratedPgDb(serverUrl);
    client = await pgDb.db.$client.connect();
    engine = await pgEngine(client);
  });
  afterAll(async () => {
    client.release();
    await pgDb.close();
  });
  for (const [name, run, expected] of cases(e)) it(name, async () => expect(await run()).toEqual(expected));
});

/** A rollup table's rows in one comparable order (every column, numbers as numbers). */
async function tableRows(read: (text: string) => Promise<unknown[][]>, table: string, columns: string[]): Promise<unknown[][]> {
  const rows = await read(`SELECT ${columns.join(', ')} FROM ${table}`);
  return rows.map((r) => r.map(asSqlite)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describePg('the dashboard rollups on PostgreSQL', (serverUrl) => {
  let sqlite: Db;
  let pgDb: Awaited<ReturnType<typeof createMigratedPgDb>>;
  let client: pg.PoolClient;
  const columnsOf = (table: string) => (sqlite.$client.prepare(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).pluck().all() as string[]).map((c) => `"${c}"`);
  const sqliteRows = (text: string) => Promise.resolve(sqlite.$client.prepare(text).raw().all() as unknown[][]);
  const pgRows = async (text: string) => (await client.query({ text, rowMode: 'array' })).rows as unknown[][];

  beforeAll(async () => {
    sqlite = openAppDb(':memory:');
    await importDemoCorpus(sqlite);
    pgDb = await createMigratedPgDb(serverUrl);
    await copySqliteToPg(sqlite.$client, pgDb.db);
    client = await pgDb.db.$client.connect();
  }, 120_000);
  afterAll(async () => {
    client?.release();
    await pgDb?.close();
    sqlite?.$client.close();
  });

  it('rebuilds every rollup table to the rows SQLite holds', async () => {
    await client.query('BEGIN');
    for (const statement of rebuildStatements()) await client.query(statement);
    await client.query('COMMIT');
    for (const table of ROLLUP_TABLES) {
      const columns = columnsOf(table);
      expect(await tableRows(pgRows, table, columns), table).toEqual(await tableRows(sqliteRows, table, columns));
    }
    expect((await sqliteRows('SELECT count(*) FROM source_rollups'))[0]![0]).toBeGreaterThan(0);
  });

  it("adds a batch of new documents through the import's statements (temporary batch tables) to the same rows", async () => {
    const [[lo, hi]] = (await sqliteRows('SELECT min(id), max(id) FROM documents')) as [[number, number]];
    await client.query('BEGIN');
    for (const table of ROLLUP_TABLES) await client.query(`DELETE FROM ${table}`);
    await client.query(createBatchTables('postgres'));
    const range = 'r.document_id BETWEEN ? AND ?';
    const statements = [...additionsSql('postgres', 'i.document_id BETWEEN ? AND ?'), ...[...stanceFill(range), ...compareFill(range)].map((f) => ({ sql: addingTo(f), scoped: true }))];
    for (const { sql: text, scoped } of statements) await client.query(numbered(text), scoped ? [lo, hi] : []);
    await client.query(rebuildStatements().at(-1)!); // the provenance rows (no suggestions in the demo corpus)
    await client.query('COMMIT');
    for (const table of ROLLUP_TABLES) {
      const columns = columnsOf(table);
      expect(await tableRows(pgRows, table, columns), table).toEqual(await tableRows(sqliteRows, table, columns));
    }
  });
});
