import { createTempTableLikeText, tempTableText, yearOfText, monthOfText, type SqlDialect } from '../../db/sqlDialect.ts';
import { COMPARE_TARGETS, compareFill } from './compareRollups.ts';
import { BASE_ROLLUPS, FACET_SQL, facetsOf, MONTH, STANCE_KEYS, STANCE_MONTHS, STANCE_VALUES, type Rollup, type Select } from './rollupDefinitions.ts';

/**
 * The SQL of the rollups (api/dashboard/rollups.ts applies it): the tables each definition
 * (rollupDefinitions.ts) writes, the statements that rebuild them, the finest-grain select of a
 * contribution, and the statements that add a batch of new documents straight into the tables.
 */

/** A table a delta writes: its key columns and value columns; the first value counts what the row sums. */
export interface Target {
  table: string;
  keys: string[];
  values: string[];
}

const periodKeys = (keys: readonly string[]) => [...keys, 'granularity', 'period'];

/** Every table written from a rollup's contributions. */
function targetsOf(r: Rollup): Target[] {
  return [
    { table: r.table, keys: r.keys, values: r.values },
    ...(r.months === null ? [] : [{ table: r.months, keys: periodKeys(r.keys), values: r.values }]),
    ...(r.facets === undefined ? [] : [{ table: r.facets, keys: [...r.keys, ...facetsOf(r.keys)], values: r.values }]),
  ];
}

const STANCE_TARGETS: Target[] = [
  { table: 'source_stance_rollups', keys: STANCE_KEYS, values: STANCE_VALUES },
  { table: STANCE_MONTHS, keys: periodKeys(STANCE_KEYS), values: STANCE_VALUES },
];
export const TARGETS: Target[] = [...BASE_ROLLUPS.flatMap(targetsOf), ...STANCE_TARGETS, ...COMPARE_TARGETS];

/** Every rollup table, in the order a rebuild fills them. */
export const ROLLUP_TABLES = [...TARGETS.map((t) => t.table), 'suggestion_provenance'];

/** Extra keys of a select: what they are, what the FROM clause needs joined, and a further condition. */
interface Extra {
  keys: string[];
  join: string;
  where?: string;
}

const MONTH_JOIN = 'JOIN documents md ON md.id = i.document_id';
const FACET_JOIN = 'LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id';
const DATED = 'md.published_start IS NOT NULL';
const PERIOD = { month: monthOfText('md.published_start'), year: yearOfText('md.published_start') };

/** A select as SQL with `extra` keys after its own (grouped unless a constant). */
function selectSql(s: Select, extra: Extra = { keys: [], join: '' }): string {
  const keys = [...s.keys, ...extra.keys];
  const group = [...s.group, ...extra.keys.flatMap((k, position) => (k.startsWith("'") ? [] : [s.keys.length + position + 1]))];
  const where = extra.where === undefined ? s.where : `${s.where} AND ${extra.where}`;
  return `SELECT ${[...keys, ...s.values].join(', ')} FROM ${s.from} ${extra.join} WHERE ${where} GROUP BY ${group.join(', ')}`;
}

const facetExtra = (r: Rollup): Extra => ({ keys: facetsOf(r.keys).map((k) => FACET_SQL[k]!), join: FACET_JOIN });
const insertInto = (t: Target) => `INSERT INTO ${t.table} (${[...t.keys, ...t.values].join(', ')})`;

/** The statements that fill a rollup's tables from the items matching `where`, each with the table it fills. */
function fillStatements(r: Rollup, where = 'TRUE'): { target: Target; sql: string }[] {
  const targets = targetsOf(r);
  const fill = (table: string, select: string) => {
    const target = targets.find((t) => t.table === table)!;
    return { target, sql: `${insertInto(target)} ${select}` };
  };
  return r.selects(where).flatMap((s) => [
    fill(r.table, selectSql(s)),
    ...(r.months === null ? [] : (['month', 'year'] as const).map((g) => fill(r.months!, selectSql(s, { keys: [`'${g}'`, PERIOD[g]], join: MONTH_JOIN, where: DATED })))),
    ...(r.facets === undefined ? [] : [fill(r.facets, selectSql(s, facetExtra(r)))]),
  ]);
}

const STANCE_SUMS = 'count(*), sum(r.n), sum(r.stance_sum), sum(r.stance_sum * r.stance_sum), sum(r.stance_sum * r.n), sum(r.n * r.n)';

/** The statements that fill the stance sums from the document rows matching `where` (over `r`). */
export const stanceFill = (where = 'TRUE') => [
  { target: STANCE_TARGETS[0]!, sql: `${insertInto(STANCE_TARGETS[0]!)} SELECT source_id, level, basis, ${STANCE_SUMS} FROM document_rollups r WHERE ${where} GROUP BY 1, 2, 3` },
  ...(['month', 'year'] as const).map((g) => ({
    target: STANCE_TARGETS[1]!,
    sql: `${insertInto(STANCE_TARGETS[1]!)} SELECT r.source_id, r.level, r.basis, '${g}', ${PERIOD[g]}, ${STANCE_SUMS}
       FROM document_rollups r JOIN documents md ON md.id = r.document_id WHERE ${DATED} AND ${where} GROUP BY 1, 2, 3, 5`,
  })),
];
const PROVENANCE_REBUILD = `INSERT INTO suggestion_provenance (provider, model, prompt_version) SELECT DISTINCT provider, model, prompt_version FROM suggestions`;

/** Turns a fill into an addition to the rows already there. */
export const addingTo = ({ target, sql }: { target: Target; sql: string }) =>
  `${sql} ON CONFLICT (${target.keys.join(', ')}) DO UPDATE SET ${target.values.map((v) => `${v} = ${target.table}.${v} + excluded.${v}`).join(', ')}`;

/** The SQL statements of a full rebuild, in order (also the backfill of the migrations that created the tables). */
export function rebuildStatements(): string[] {
  const fills = [...BASE_ROLLUPS.flatMap((r) => fillStatements(r)), ...stanceFill(), ...compareFill()];
  return [...ROLLUP_TABLES.map((t) => `DELETE FROM ${t}`), ...fills.map((f) => f.sql), PROVENANCE_REBUILD];
}

/** Adds a delta to a row (made if missing) and returns the row's count (its first value) after it. */
export const upsertSql = (t: Target) =>
  `${insertInto(t)} VALUES (${[...t.keys, ...t.values].map(() => '?').join(', ')})
   ON CONFLICT (${t.keys.join(', ')}) DO UPDATE SET ${t.values.map((v) => `${v} = ${t.table}.${v} + excluded.${v}`).join(', ')}
   RETURNING ${t.values[0]}`;
export const pruneSql = (t: Target) => `DELETE FROM ${t.table} WHERE ${t.keys.map((k) => `${k} = ?`).join(' AND ')} AND ${t.values[0]} = 0`;

/** A rollup's select at its finest grain: its keys, then the month where it has month rows, then the facets where it has facet rows. */
export function finestGrainSql(r: Rollup, s: Select): string {
  const facets = r.facets === undefined ? { keys: [], join: '' } : facetExtra(r);
  const month = r.months === null ? [] : [MONTH];
  return selectSql(s, { keys: [...month, ...facets.keys], join: `${r.months === null ? '' : MONTH_JOIN} ${facets.join}` });
}

/** The temporary table a rollup's contributions to a batch of new documents are gathered in (columns c0, c1, ... as finestGrainSql). */
const batchTable = (d: SqlDialect, r: Rollup) => tempTableText(d, `batch_${r.table}`);
const batchColumns = (r: Rollup) => r.keys.length + (r.months === null ? 0 : 1) + (r.facets === undefined ? 0 : facetsOf(r.keys).length) + r.values.length;
/** The batch tables (made once per connection; on PostgreSQL typed as the rollup's finest-grain select). */
export const createBatchTables = (d: SqlDialect) =>
  BASE_ROLLUPS.filter((r) => r.months !== null || r.facets !== undefined)
    .map((r) => createTempTableLikeText(d, `batch_${r.table}`, batchColumns(r), finestGrainSql(r, r.selects('FALSE')[0]!)))
    .join(';\n');

/**
 * The statements that add new documents' items (ids in a range) to every table, each an
 * INSERT ... SELECT adding to the rows there. A rollup with month or facet rows reads the items
 * once per basis into its batch table at the finest grain, and each of its tables sums that.
 */
export function additionsSql(d: SqlDialect, where: string): { sql: string; scoped: boolean }[] {
  const scoped = (sql: string) => ({ sql, scoped: true });
  const local = (sql: string) => ({ sql, scoped: false });
  return BASE_ROLLUPS.flatMap((r) => {
    if (r.months === null && r.facets === undefined) return fillStatements(r, where).map((f) => scoped(addingTo(f)));
    const c = (k: number) => `c${k}`;
    const width = r.keys.length;
    const keys = r.keys.map((_, k) => c(k));
    const month = c(width);
    const facetStart = width + (r.months === null ? 0 : 1);
    const facets = r.facets === undefined ? [] : facetsOf(r.keys).map((_, k) => c(facetStart + k));
    const sums = r.values.map((_, k) => `sum(${c(facetStart + facets.length + k)})`);
    const from = batchTable(d, r);
    const sum = (table: string, extra: string[], where = 'TRUE', group = extra) => {
      const target = targetsOf(r).find((t) => t.table === table)!;
      return local(addingTo({ target, sql: `${insertInto(target)} SELECT ${[...keys, ...extra, ...sums].join(', ')} FROM ${from} WHERE ${where} GROUP BY ${[...keys, ...group].join(', ')}` }));
    };
    return [
      ...r.selects(where).map((q) => scoped(`INSERT INTO ${from} ${finestGrainSql(r, q)}`)),
      sum(r.table, []),
      ...(r.months === null ? [] : [sum(r.months, ["'month'", month], `${month} <> ''`, [month]), sum(r.months, ["'year'", `substr(${month}, 1, 4)`], `${month} <> ''`, [`substr(${month}, 1, 4)`])]),
      ...(r.facets === undefined ? [] : [sum(r.facets, facets)]),
      local(`DELETE FROM ${from}`),
    ];
  });
}

