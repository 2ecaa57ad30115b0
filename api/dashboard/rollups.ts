import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { addCompareDeltas, compareFill } from './compareRollups.ts';
import { dialectFor, jsonArrayValuesText, monthOfText, type SqlDialect } from '../../db/sqlDialect.ts';
import { BASE_ROLLUPS, facetsOf, STANCE_KEYS, STANCE_MONTHS, STANCE_VALUES, type Rollup } from './rollupDefinitions.ts';
import { addingTo, additionsSql, createBatchTables, finestGrainSql, pruneSql, rebuildStatements, stanceFill, TARGETS, upsertSql } from './rollupSql.ts';

export { rebuildStatements, ROLLUP_TABLES } from './rollupSql.ts';

/**
 * Dashboard rollups (db/schema/dashboardRollups.ts), their month and year rows
 * (db/schema/monthRollups.ts) and their facet rows (db/schema/facetRollups.ts), maintained by
 * delta. A change to an item subtracts its contribution before and adds the one after, in the
 * same transaction, so the rollups always equal a rebuild. Each contribution is read once per
 * rollup and basis at the finest grain (the rollup's keys, the document's month and the facets)
 * and summed here into the rollup's row, its month and year rows and its facet row, so a delta
 * writes one row per changed key of each table whatever the range of months it spans. A batch
 * of new documents (an import) only adds, so SQLite sums it straight into the tables
 * (rollupSql.ts additionsSql) without a round trip per row.
 */

/** A rollup a date range can narrow: its table, its month table, keys (without the period) and values; the first value counts rows. */
export interface MonthMirror {
  table: string;
  months: string;
  keys: string[];
  values: string[];
}

/** A rollup a status or provenance filter can narrow: its table, its facet table, keys (without the facets) and values. */
export interface FacetMirror {
  table: string;
  facets: string;
  keys: string[];
  values: string[];
}

/** The facet tables by the rollup they mirror (api/dashboard/facets.ts reads them). */
export const FACET_MIRRORS: ReadonlyMap<string, FacetMirror> = new Map(
  BASE_ROLLUPS.filter((r) => r.facets !== undefined).map((r) => [r.table, { table: r.table, facets: r.facets!, keys: r.keys, values: r.values }] as const),
);

/** The month tables by the rollup they mirror (api/dashboard/months.ts reads them). */
export const MONTH_MIRRORS: ReadonlyMap<string, MonthMirror> = new Map([
  ...BASE_ROLLUPS.filter((r) => r.months !== null).map((r) => [r.table, { table: r.table, months: r.months!, keys: r.keys, values: r.values }] as const),
  ['source_stance_rollups', { table: 'source_stance_rollups', months: STANCE_MONTHS, keys: STANCE_KEYS, values: STANCE_VALUES }],
]);

/** The raw better-sqlite3 handle under a drizzle database or transaction. */
export function clientOf(tx: DbOrTx): Database.Database {
  if ('$client' in tx) return tx.$client;
  return (tx as unknown as { session: { client: Database.Database } }).session.client;
}

/**
 * Recomputes every rollup from `items` in one pass per table: the backfill after data was
 * written around the state functions (bulk generation, a restored file). Runs in one transaction.
 */
export function rebuildRollups(tx: DbOrTx): void {
  const c = clientOf(tx);
  c.transaction(() => {
    for (const statement of rebuildStatements()) c.exec(statement);
  })();
}

/** A rollup's contribution statements: each returns rows of keys, the month ('' undated; with month rows), the facets (with facet rows), values. */
interface Contribution {
  rollup: Rollup;
  statements: Database.Statement[];
  facets: number;
}

interface Statements {
  contributions: Contribution[];
  upsert: Map<string, Database.Statement>;
  prune: Map<string, Database.Statement>;
  /** For new documents only (`documents` scope): their rows added to every table by SQLite in one statement per table and basis. */
  additions: { statement: Database.Statement; scoped: boolean }[];
  documentRow: Database.Statement;
  documentLabels: Database.Statement;
  documentMonth: Database.Statement;
  provenance: Database.Statement;
}
const cache = new WeakMap<Database.Database, Map<string, Statements>>();


/** Whose contribution a statement set reads: one item, a document's items, a range of new documents, or a JSON array of item ids. */
type Scope = 'item' | 'document' | 'documents' | 'items';
const scopeWhere = (d: SqlDialect, scope: Scope): string =>
  ({ item: 'i.id = ?', document: 'i.document_id = ?', documents: 'i.document_id BETWEEN ? AND ?', items: `i.id IN (${jsonArrayValuesText(d, '?', 'integer')})` })[scope];

function statementsFor(c: Database.Database, scope: Scope): Statements {
  let perClient = cache.get(c);
  if (!perClient) cache.set(c, (perClient = new Map()));
  let s = perClient.get(scope);
  if (s) return s;
  const d = dialectFor(c);
  const where = scopeWhere(d, scope);
  s = {
    contributions: BASE_ROLLUPS.map((rollup) => ({
      rollup,
      statements: rollup.selects(where).map((q) => c.prepare(finestGrainSql(rollup, q)).raw()),
      facets: rollup.facets === undefined ? 0 : facetsOf(rollup.keys).length,
    })),
    upsert: new Map(TARGETS.map((t) => [t.table, c.prepare(upsertSql(t)).pluck()] as const)),
    prune: new Map(TARGETS.map((t) => [t.table, c.prepare(pruneSql(t))] as const)),
    additions:
      scope === 'documents'
        ? (c.exec(createBatchTables(d)),
          [...additionsSql(d, where), ...[...stanceFill('r.document_id BETWEEN ? AND ?'), ...compareFill('r.document_id BETWEEN ? AND ?')].map((f) => ({ sql: addingTo(f), scoped: true }))].map((q) => ({ statement: c.prepare(q.sql), scoped: q.scoped })))
        : [],
    documentRow: c.prepare('SELECT n, stance_sum FROM document_rollups WHERE document_id = ? AND level = ? AND basis = ? AND source_id = ?').raw(),
    documentLabels: c.prepare('SELECT label, n FROM document_label_rollups WHERE level = ? AND basis = ? AND document_id = ? AND source_id = ?').raw(),
    documentMonth: c.prepare(`SELECT coalesce(${monthOfText('published_start')}, '') FROM documents WHERE id = ?`).pluck(),
    provenance: c.prepare(
      `INSERT INTO suggestion_provenance (provider, model, prompt_version)
       SELECT DISTINCT provider, model, prompt_version FROM suggestions WHERE id IN (${jsonArrayValuesText(d, '?', 'integer')})
       ON CONFLICT DO NOTHING`,
    ),
  };
  perClient.set(scope, s);
  return s;
}

/** Changes by table and key, summed before any row is written. */
class Delta {
  readonly rows = new Map<string, { table: string; keys: unknown[]; values: number[] }>();

  add(table: string, keys: unknown[], values: readonly number[], sign: number): void {
    const id = `${table}\u0000${JSON.stringify(keys)}`;
    const entry = this.rows.get(id);
    if (entry) values.forEach((v, k) => (entry.values[k]! += sign * v));
    else this.rows.set(id, { table, keys, values: values.map((v) => sign * v) });
  }

  /** A month's change to a month table: its month row and its year's row; undated ('') is in neither. */
  addPeriods(table: string, keys: readonly unknown[], month: string, values: readonly number[], sign: number): void {
    if (month === '') return;
    this.add(table, [...keys, 'month', month], values, sign);
    this.add(table, [...keys, 'year', month.slice(0, 4)], values, sign);
  }
}

function accumulate(s: Statements, scopeParam: number | string | [number, number], sign: 1 | -1, into: Delta): void {
  const params = Array.isArray(scopeParam) ? scopeParam : [scopeParam];
  for (const { rollup, statements, facets } of s.contributions) {
    const width = rollup.keys.length;
    const months = rollup.months === null ? 0 : 1;
    for (const st of statements) {
      for (const row of st.all(...params) as unknown[][]) {
        const keys = row.slice(0, width);
        const values = row.slice(width + months + facets) as number[];
        into.add(rollup.table, keys, values, sign);
        if (months === 1) into.addPeriods(rollup.months!, keys, row[width] as string, values, sign);
        if (facets > 0) into.add(rollup.facets!, [...keys, ...row.slice(width + months, width + months + facets)], values, sign);
      }
    }
  }
}

function applyDelta(s: Statements, delta: Delta): void {
  // Stance sums derived from document rows are gathered first, then written with the rest.
  const derived = new Delta();
  for (const { table, keys, values } of delta.rows.values()) {
    if (table !== 'document_rollups' || values.every((v) => v === 0)) continue;
    // A document's (stance sum, count) moved: its source's sums of squares move with it.
    const [n0, s0] = (s.documentRow.get(...keys) as [number, number] | undefined) ?? [0, 0];
    const [n1, s1] = [n0 + values[0]!, s0 + values[1]!];
    const [documentId, level, basis, sourceId] = keys;
    const stance = [Number(n1 > 0) - Number(n0 > 0), n1 - n0, s1 - s0, s1 * s1 - s0 * s0, s1 * n1 - s0 * n0, n1 * n1 - n0 * n0];
    derived.add('source_stance_rollups', [sourceId, level, basis], stance, 1);
    derived.addPeriods(STANCE_MONTHS, [sourceId, level, basis], s.documentMonth.get(documentId) as string, stance, 1);
  }
  addCompareDeltas(
    [...delta.rows.values()].filter((r) => r.table === 'document_label_rollups'),
    (documentId, level, basis, sourceId) => s.documentLabels.all(level, basis, documentId, sourceId) as [string, number][],
    (documentId) => s.documentMonth.get(documentId) as string,
    derived,
  );
  for (const { table, keys, values } of [...delta.rows.values(), ...derived.rows.values()]) {
    if (values.every((v) => v === 0)) continue;
    const count = s.upsert.get(table)!.get(...keys, ...values) as number;
    // A row's count only reaches zero when it falls; a row that gains or keeps its count stays,
    // and one still counting something after the fall is not looked up again.
    if (values[0]! < 0 && count === 0) s.prune.get(table)!.run(...keys);
  }
}

/**
 * Runs `change` (which updates item `itemId`'s state) and moves the item's contribution to every
 * rollup from what it was before to what it is after. Call inside the change's transaction.
 */
export function withItemRollups<T>(tx: DbOrTx, itemId: number, change: () => T): T {
  const s = statementsFor(clientOf(tx), 'item');
  const delta = new Delta();
  accumulate(s, itemId, -1, delta);
  const result = change();
  accumulate(s, itemId, 1, delta);
  applyDelta(s, delta);
  return result;
}

/**
 * `withItemRollups` for many items at once: each rollup's before and after contribution of the
 * whole set is one GROUP BY per basis, so a batch of suggestions moves the rollups in a few statements.
 */
export function withItemsRollups<T>(tx: DbOrTx, itemIds: readonly number[], change: () => T): T {
  const s = statementsFor(clientOf(tx), 'items');
  const ids = JSON.stringify(itemIds);
  const delta = new Delta();
  accumulate(s, ids, -1, delta);
  const result = change();
  accumulate(s, ids, 1, delta);
  applyDelta(s, delta);
  return result;
}

/** Adds a newly stored document's items (document and passage items) to the rollups. */
export function addDocumentToRollups(tx: DbOrTx, documentId: number): void {
  addDocumentsToRollups(tx, documentId, documentId);
}

/**
 * Adds the newly stored documents with ids `firstId..lastId` (all of them new, none yet in the
 * rollups): an import's batch. Nothing is taken away, so SQLite sums the batch straight into
 * each table (its rebuild's GROUP BY over the batch, added to the rows there), without a
 * round trip per row.
 */
export function addDocumentsToRollups(tx: DbOrTx, firstId: number, lastId: number): void {
  const c = clientOf(tx);
  const { additions } = statementsFor(c, 'documents');
  // Temporary tables live with the connection, and a rolled-back transaction that made them takes them along.
  c.exec(createBatchTables(dialectFor(c)));
  for (const { statement, scoped } of additions) statement.run(...(scoped ? [firstId, lastId] : []));
}

/** Takes a document's items out of the rollups; call before deleting the document, in the same transaction. */
export function removeDocumentFromRollups(tx: DbOrTx, documentId: number): void {
  const s = statementsFor(clientOf(tx), 'document');
  const delta = new Delta();
  accumulate(s, documentId, -1, delta);
  applyDelta(s, delta);
}

/** Records newly stored suggestions' providers, models and prompt versions for the filter bar. */
export function addSuggestionProvenance(tx: DbOrTx, suggestionIds: readonly number[]): void {
  statementsFor(clientOf(tx), 'items').provenance.run(JSON.stringify(suggestionIds));
}

/**
 * Read-only: the rows a rebuild would give rollup `table` (one of the tables a date range or
 * nothing narrows, not a month or facet table) over only the items matching `where` (over
 * `items i`), with its keys and values named as the table's columns; `only` keeps the rows of
 * some values of its constant keys (basis, granularity) and skips computing the others. A view
 * adds them to the rollups of the rest of a range (views/days.ts): the sums are additive.
 */
export function rollupRowsOver(table: string, where: SQL, only: Readonly<Record<string, string>> = {}): SQL {
  const r = BASE_ROLLUPS.find((x) => x.table === table);
  if (r === undefined) throw new Error(`${table}: not a rollup table`);
  // The selects take their WHERE as text; the parameters travel in `where`, spliced at a marker.
  const marker = '\u0000where\u0000';
  const kept = r.selects(marker).filter((s) => Object.entries(only).every(([key, value]) => !r.keys.includes(key) || s.keys[r.keys.indexOf(key)] === `'${value}'`));
  if (kept.length === 0) throw new Error(`${table}: no rows for ${JSON.stringify(only)}`);
  return sql.join(
    kept.map((s) => {
      const columns = [...s.keys.map((k, j) => `${k} AS ${r.keys[j]}`), ...s.values.map((v, j) => `${v} AS ${r.values[j]}`)];
      const text = `SELECT ${columns.join(', ')} FROM ${s.from} WHERE ${s.where} GROUP BY ${s.group.join(', ')}`;
      return sql.join(text.split(marker).map((part) => sql.raw(part)), where);
    }),
    sql` UNION ALL `,
  );
}
