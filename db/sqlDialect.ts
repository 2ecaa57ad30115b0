import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { dialectOf, type DbOrTx } from './client.ts';
import type { DialectName } from './dialect.ts';
import { MIGRATIONS_TABLE } from './migrate.ts';

/**
 * The few SQL fragments the app cannot spell the same way on SQLite and PostgreSQL, in one
 * place, so nothing above db/ writes engine-specific SQL. Everything else the app sends is
 * written to run unchanged on both (README, "SQL on both engines"): `TRUE`/`FALSE` for
 * boolean columns (SQLite reads them as 1 and 0), `countWhere` instead of summing a
 * comparison, an alias on every subquery in FROM, double-quoted camelCase aliases, the
 * target table named in an upsert's `SET n = t.n + excluded.n`.
 *
 * The portable helpers below take no dialect; those that differ take one (`dialectFor(db)`).
 * Text versions exist beside the drizzle `sql` ones because the rollup statements are built as
 * strings and prepared once per connection (api/dashboard/rollupSql.ts).
 */

export type SqlDialect = DialectName;

/** The dialect of a drizzle database, a transaction or a raw connection (db/client.ts's dialectOf). */
export const dialectFor = (db: DbOrTx | Database.Database): SqlDialect => dialectOf(db);

/**
 * How many rows satisfy `condition`: SQLite sums a comparison as 0/1, PostgreSQL has no
 * sum(boolean). NULL conditions count 0 here where sum() skipped them, so wrap it in
 * coalesce(..., 0) wherever an empty group must read 0 as before (an all-NULL group gave NULL).
 */
export const countWhereText = (condition: string): string => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
export const countWhere = (condition: SQL): SQL => sql`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** A condition as the integer 1 or 0 (a key or value column that holds a flag as a number). */
export const flagText = (condition: string): string => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;
export const flag = (condition: SQL): SQL => sql`CASE WHEN ${condition} THEN 1 ELSE 0 END`;

/**
 * The text of a date column (`YYYY-MM-DD`): SQLite keeps dates as text, PostgreSQL's `date`
 * has no substr() and casts to its ISO text (the server's DateStyle is ISO by default).
 */
export const dateTextOf = (column: string): string => `CAST(${column} AS TEXT)`;
/** `YYYY-MM` of a date column (NULL for NULL). */
export const monthOfText = (column: string): string => `substr(${dateTextOf(column)}, 1, 7)`;
/** `YYYY` of a date column (NULL for NULL). */
export const yearOfText = (column: string): string => `substr(${dateTextOf(column)}, 1, 4)`;
export const monthOf = (column: SQL): SQL => sql`substr(CAST(${column} AS TEXT), 1, 7)`;
export const yearOf = (column: SQL): SQL => sql`substr(CAST(${column} AS TEXT), 1, 4)`;

/**
 * The elements of a JSON array bound as one parameter, as a one-column subquery (`value`) for
 * `x IN (...)`: SQLite's json_each, PostgreSQL's jsonb_array_elements_text with each element
 * cast to the column type it is compared with (`type` 'integer' for ids, 'text' for strings).
 */
export function jsonArrayValuesText(dialect: SqlDialect, param: string, type: 'integer' | 'text'): string {
  if (dialect === 'sqlite') return `SELECT value FROM json_each(${param})`;
  const value = type === 'integer' ? 'CAST(j.value AS BIGINT)' : 'j.value';
  return `SELECT ${value} AS value FROM jsonb_array_elements_text(CAST(${param} AS jsonb)) AS j(value)`;
}
export function jsonArrayValues(dialect: SqlDialect, param: SQL, type: 'integer' | 'text'): SQL {
  if (dialect === 'sqlite') return sql`SELECT value FROM json_each(${param})`;
  const value = type === 'integer' ? sql`CAST(j.value AS BIGINT)` : sql`j.value`;
  return sql`SELECT ${value} AS value FROM jsonb_array_elements_text(CAST(${param} AS jsonb)) AS j(value)`;
}

/**
 * The entries of a JSON object bound as one parameter `{ "12": "unit", ... }` as rows
 * (key as an integer, value as text): SQLite's json_each, PostgreSQL's jsonb_each_text.
 */
export function jsonIntegerKeyedEntries(dialect: SqlDialect, param: SQL): SQL {
  if (dialect === 'sqlite') return sql`SELECT CAST(key AS INTEGER) AS key, value FROM json_each(${param})`;
  return sql`SELECT CAST(j.key AS BIGINT) AS key, j.value AS value FROM jsonb_each_text(CAST(${param} AS jsonb)) AS j(key, value)`;
}

/**
 * An aggregate JSON object `{ key: value, ... }` of a group's rows as text: SQLite's
 * json_group_object, PostgreSQL's json_object_agg (json, not jsonb, so duplicate keys and
 * their order stay as SQLite writes them; the driver returns it as text).
 */
export function jsonObjectAgg(dialect: SqlDialect, key: SQL, value: SQL): SQL {
  return dialect === 'sqlite' ? sql`json_group_object(${key}, ${value})` : sql`json_object_agg(${key}, ${value})`;
}

/**
 * `column LIKE pattern` ignoring case (ASCII at least), as SQLite's LIKE does by default:
 * PostgreSQL's LIKE is case-sensitive, its ILIKE is not. `escape` is the pattern's escape
 * character, or none.
 */
export function likeInsensitive(dialect: SqlDialect, column: SQL, pattern: string, escape?: string): SQL {
  const like = dialect === 'sqlite' ? sql`LIKE` : sql`ILIKE`;
  return escape === undefined ? sql`${column} ${like} ${pattern}` : sql`${column} ${like} ${pattern} ESCAPE ${sql.raw(`'${escape.replace(/'/g, "''")}'`)}`;
}

/** drizzle's table of applied migrations: in the database's main schema on SQLite, in the `drizzle` schema on PostgreSQL. */
export const migrationsTableText = (dialect: SqlDialect): string => MIGRATIONS_TABLE[dialect];

/**
 * A connection's temporary table by name, qualified so a permanent table of the same name can
 * never be meant: SQLite's `temp` schema, PostgreSQL's `pg_temp`.
 */
export const tempTableText = (dialect: SqlDialect, name: string): string => `${dialect === 'sqlite' ? 'temp' : 'pg_temp'}.${name}`;

/**
 * Creates (if missing) a temporary table with columns `c0, c1, ...` shaped like `select`'s
 * output: SQLite takes untyped columns; PostgreSQL needs types, so there it is created from the
 * select itself (run for no rows). `select` must need no parameters.
 */
export function createTempTableLikeText(dialect: SqlDialect, name: string, width: number, select: string): string {
  const columns = Array.from({ length: width }, (_, k) => `c${k}`).join(', ');
  if (dialect === 'sqlite') return `CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns})`;
  return `CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns}) AS ${select} WITH NO DATA`;
}

/**
 * The row lock a job claim's subquery takes on PostgreSQL (`FOR UPDATE SKIP LOCKED`): claimers
 * in several processes never wait on each other and never take the same row. SQLite has no row
 * locks and needs none: its one UPDATE statement holds the write lock throughout.
 */
export const skipLockedText = (dialect: SqlDialect): string => (dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '');

/**
 * A JSON array column's elements as a FROM item `alias` with one text column `value` (a row per
 * element, for joining beside the row that holds the array): SQLite's json_each, PostgreSQL's
 * jsonb_array_elements_text (the column is jsonb there).
 */
export function jsonArrayElementsFromText(dialect: SqlDialect, column: string, alias: string): string {
  return dialect === 'sqlite' ? `json_each(${column}) ${alias}` : `jsonb_array_elements_text(${column}) AS ${alias}(value)`;
}

/** The length of the JSON array under `key` of a JSON object column (NULL when the key is missing). */
export function jsonArrayLengthOf(dialect: SqlDialect, column: SQL, key: string): SQL {
  if (!/^\w+$/.test(key)) throw new Error(`jsonArrayLengthOf: not a plain key: ${key}`);
  return dialect === 'sqlite' ? sql`json_array_length(${column}, ${sql.raw(`'$.${key}'`)})` : sql`jsonb_array_length(${column} -> ${sql.raw(`'${key}'`)})`;
}

/** Whether `key` of a JSON object column is JSON true (false when it is missing, false or null). */
export function jsonKeyIsTrue(dialect: SqlDialect, column: SQL, key: string): SQL {
  if (!/^\w+$/.test(key)) throw new Error(`jsonKeyIsTrue: not a plain key: ${key}`);
  return dialect === 'sqlite'
    ? sql`(coalesce(json_extract(${column}, ${sql.raw(`'$.${key}'`)}), 0) = 1)`
    : sql`coalesce((${column} -> ${sql.raw(`'${key}'`)}) = 'true'::jsonb, FALSE)`;
}

/**
 * The JSON array (as text) of `element` over a group's rows; an empty group gives `[]` on both
 * (PostgreSQL's json_agg gives NULL there). `element` is SQL text; `orderBy` (SQL text) fixes
 * the elements' order, which is otherwise the scan's on SQLite and unspecified on PostgreSQL.
 */
export function jsonArrayAggText(dialect: SqlDialect, element: string, orderBy?: string): string {
  const order = orderBy === undefined ? '' : ` ORDER BY ${orderBy}`;
  return dialect === 'sqlite' ? `json_group_array(${element}${order})` : `coalesce(json_agg(${element}${order}), '[]'::json)`;
}
/** A JSON array of the values given (SQL text each), for jsonArrayAggText's element. */
export function jsonArrayOfText(dialect: SqlDialect, values: string[]): string {
  return `${dialect === 'sqlite' ? 'json_array' : 'json_build_array'}(${values.join(', ')})`;
}

/** The group's `text` values joined with newlines, in their order: SQLite's group_concat, PostgreSQL's string_agg. */
export function joinLinesText(dialect: SqlDialect, text: string): string {
  return dialect === 'sqlite' ? `group_concat(${text}, char(10))` : `string_agg(${text}, chr(10))`;
}

/**
 * An upsert's conflict target for drizzle's `onConflictDoUpdate`: the columns by bare name.
 * Drizzle's SQLite builder writes them qualified (`"t"."a"`), which SQLite takes and PostgreSQL
 * refuses (a syntax error at the dot).
 */
export const conflictTarget = (...columns: { name: string }[]): SQL[] => columns.map((c) => sql`${sql.identifier(c.name)}`);

/**
 * Whether `key` of a JSON object column holds `value` (null: the key is missing or JSON null),
 * as SQLite's `json_extract(column, '$.key') IS value` answers it (a JSON true is 1 there).
 * PostgreSQL compares the jsonb value with the value as JSON; a number matches numerically.
 */
export function jsonKeyIs(dialect: SqlDialect, column: SQL, key: string, value: number | string | null): SQL {
  if (!/^\w+$/.test(key)) throw new Error(`jsonKeyIs: not a plain key: ${key}`);
  if (dialect === 'sqlite') return sql`json_extract(${column}, ${`$.${key}`}) IS ${value}`;
  const at = sql`(${column} -> ${sql.raw(`'${key}'`)})`;
  if (value === null) return sql`(${at} IS NULL OR ${at} = 'null'::jsonb)`;
  return sql`coalesce(${at} = CAST(${JSON.stringify(value)} AS jsonb), FALSE)`;
}

/**
 * A JSON object (as text) of `pairs` (key, SQL text of the value), keys in the order given:
 * SQLite's json_object, PostgreSQL's json_build_object (json, not jsonb, so the order stays).
 * Their spacing differs; a caller that compares or writes the text re-serialises it.
 */
export function jsonObjectOfText(dialect: SqlDialect, pairs: [key: string, value: string][]): string {
  for (const [key] of pairs) if (!/^\w+$/.test(key)) throw new Error(`jsonObjectOfText: not a plain key: ${key}`);
  const args = pairs.map(([key, value]) => `'${key}', ${value}`).join(', ');
  return `${dialect === 'sqlite' ? 'json_object' : 'json_build_object'}(${args})`;
}

/** A JSON column's value inside jsonObjectOfText, as JSON and not as a string: SQLite's json(text), PostgreSQL's jsonb as it is. */
export const jsonValueText = (dialect: SqlDialect, column: string): string => (dialect === 'sqlite' ? `json(${column})` : column);

/** A condition as a JSON true or false inside jsonObjectOfText (SQLite has no boolean, so a bare 1 or 0 would be written). */
export const jsonBoolText = (dialect: SqlDialect, condition: string): string =>
  dialect === 'sqlite' ? `json(CASE WHEN ${condition} THEN 'true' ELSE 'false' END)` : `(CASE WHEN ${condition} THEN TRUE ELSE FALSE END)`;

/**
 * A time column as the app's ISO text (`2024-10-15T09:30:00.123Z`) inside jsonObjectOfText:
 * SQLite keeps that text; PostgreSQL's timestamptz would be written `2024-10-15T09:30:00.123+00:00`.
 */
export const isoTimeText = (dialect: SqlDialect, column: string): string =>
  dialect === 'sqlite' ? column : `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The text under `key` of a JSON object column (NULL when missing): SQLite's json_extract, PostgreSQL's ->>. */
export function jsonTextAtText(dialect: SqlDialect, column: string, key: string): string {
  if (!/^\w+$/.test(key)) throw new Error(`jsonTextAtText: not a plain key: ${key}`);
  return dialect === 'sqlite' ? `json_extract(${column}, '$.${key}')` : `(${column} ->> '${key}')`;
}

/**
 * ` INDEXED BY index` after a table in FROM on SQLite, whose planner sometimes prefers a worse
 * index for a statement stepped row by row; nothing on PostgreSQL, which has no index hints.
 */
export const indexedByText = (dialect: SqlDialect, index: string): string => (dialect === 'sqlite' ? ` INDEXED BY ${index}` : '');
