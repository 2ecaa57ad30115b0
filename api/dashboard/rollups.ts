import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { BASES, basisSql, correctionSample, INDEPENDENT_REVIEW_JOIN, IN_RANDOM_SAMPLE, modelPeoplePairs, sqlText as text, type Basis } from '../items/provenance.ts';
import { periodSql, type Granularity } from './filters.ts';

/**
 * Dashboard rollups (db/schema/dashboardRollups.ts): the unfiltered dashboard's aggregates,
 * maintained by delta. Each rollup is defined once, as a GROUP BY over `items` written with the
 * same SQL expressions the scan path uses (filters.ts), restricted by a WHERE clause: over all
 * items it rebuilds the table; over one item it is that item's contribution. A change to an item
 * subtracts its contribution before and adds the one after, in the same transaction, so the
 * rollups always equal a rebuild.
 */

/** A basis's label, stance and theme kind as text. */
function basisText(basis: Basis): { label: string; stance: string; themeKind: string } {
  const b = basisSql(basis);
  return { label: text(b.label), stance: text(b.stance), themeKind: text(b.themeKind) };
}

const GRANULARITIES: Granularity[] = ['month', 'year'];

/** One GROUP BY over items: key expressions, value expressions, and which key positions it groups by (a constant key is not grouped). */
interface Select {
  keys: string[];
  values: string[];
  from: string;
  where: string;
  group: number[];
}

interface Rollup {
  table: string;
  keys: string[];
  values: string[];
  /** The GROUP BYs (one per basis etc.) that give this rollup's rows over the items matching `where`. */
  selects: (where: string) => Select[];
  /** The table of this rollup by month (db/schema/monthRollups.ts), null for rollups a date range never narrows. */
  months: string | null;
  /** The table of this rollup by facet (db/schema/facetRollups.ts), null for rollups no status or provenance filter narrows. */
  facets?: string;
  /** A month table holds running sums along `month` within the other keys. */
  cumulative?: true;
  /** A facet table's keys include the facets (its select adds them). */
  faceted?: true;
}

const NOT_EXCLUDED = 'i.excluded = 0';

/** The publication month of an item's document (joined as `md`), '' when undated. */
const MONTH = "coalesce(substr(md.published_start, 1, 7), '')";

/** The facets: review status, and the provenance of the latest suggestion (joined as `fs`; '' and 0 without one). */
export const FACET_KEYS = ['review_status', 'provider', 'model', 'prompt_version', 'codebook_id'];
const FACET_SQL: Record<string, string> = {
  review_status: 'i.review_status',
  provider: "coalesce(fs.provider, '')",
  model: "coalesce(fs.model, '')",
  prompt_version: "coalesce(fs.prompt_version, '')",
  codebook_id: 'coalesce(fs.codebook_id, 0)',
};

/** The facets a rollup with these keys adds (the status rollup already has the status). */
const facetsOf = (keys: readonly string[]) => FACET_KEYS.filter((k) => !keys.includes(k));

/**
 * A select as SQL; with `month`, the document's month is one more key (the last); with
 * `facets`, the facet keys of `rollupKeys` beyond the select's own are the last keys.
 */
function selectSql(s: Select, extra: 'month' | 'facets' | null = null, rollupKeys: readonly string[] = []): string {
  const added = extra === 'month' ? [MONTH] : extra === 'facets' ? rollupKeys.slice(s.keys.length).map((k) => FACET_SQL[k]!) : [];
  const keys = [...s.keys, ...added];
  const group = [...s.group, ...added.map((_, k) => s.keys.length + k + 1)];
  const from =
    extra === 'month' ? `${s.from} JOIN documents md ON md.id = i.document_id` : extra === 'facets' ? `${s.from} LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id` : s.from;
  return `SELECT ${[...keys, ...s.values].join(', ')} FROM ${from} WHERE ${s.where} GROUP BY ${group.join(', ')}`;
}

/** How a rollup's rows are selected: plain, with the month, or with the facets. */
const extraOf = (r: Rollup): 'month' | 'facets' | null => (r.cumulative ? 'month' : r.faceted ? 'facets' : null);

type ThemeKey = 'source_id' | 'level' | 'basis' | 'label' | 'theme';

/**
 * Labelled items per theme (themes of the basis's kind), keyed by `keys` in that order: the
 * heatmap, the label × theme view and their source-filtered form differ only in their keys.
 */
function themeRollup(table: string, keys: ThemeKey[], months: string | null, facets?: string): Rollup {
  return {
    table,
    keys,
    values: ['n'],
    months,
    ...(facets === undefined ? {} : { facets }),
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        const column: Record<ThemeKey, string> = { source_id: 'i.source_id', level: 'i.level', basis: `'${basis}'`, label: b.label, theme: 't.theme' };
        return {
          keys: keys.map((k) => column[k]),
          values: ['count(*)'],
          from: `items i JOIN item_themes t ON t.item_id = i.id AND t.kind = ${b.themeKind}`,
          where: `${NOT_EXCLUDED} AND ${b.label} IS NOT NULL AND (${where})`,
          group: keys.flatMap((k, position) => (k === 'basis' ? [] : [position + 1])),
        };
      }),
  };
}

const BASE_ROLLUPS: Rollup[] = [
  {
    table: 'source_rollups',
    keys: ['source_id', 'level', 'basis', 'label'],
    values: ['n', 'stance_n', 'stance_sum'],
    months: 'source_rollups_months',
    facets: 'source_rollups_facets',
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        return {
          keys: ['i.source_id', 'i.level', `'${basis}'`, `coalesce(${b.label}, '')`],
          values: ['count(*)', `count(${b.stance})`, `coalesce(sum(${b.stance}), 0)`],
          from: 'items i',
          where: `${NOT_EXCLUDED} AND (${where})`,
          group: [1, 2, 4],
        };
      }),
  },
  {
    table: 'source_status_rollups',
    keys: ['source_id', 'level', 'review_status'],
    values: ['n', 'suggested', 'random_sample'],
    months: 'source_status_rollups_months',
    facets: 'source_status_rollups_facets',
    selects: (where) => [
      {
        keys: ['i.source_id', 'i.level', 'i.review_status'],
        values: ['count(*)', 'count(i.suggested_label)', `coalesce(sum(${text(IN_RANDOM_SAMPLE)}), 0)`],
        from: `items i ${text(INDEPENDENT_REVIEW_JOIN)}`,
        where: `${NOT_EXCLUDED} AND (${where})`,
        group: [1, 2, 3],
      },
    ],
  },
  themeRollup('source_theme_rollups', ['source_id', 'level', 'basis', 'label', 'theme'], null),
  themeRollup('source_theme_totals', ['source_id', 'level', 'basis', 'theme'], 'source_theme_totals_months', 'source_theme_totals_facets'),
  themeRollup('label_theme_rollups', ['level', 'basis', 'label', 'theme'], 'label_theme_rollups_months', 'label_theme_rollups_facets'),
  {
    table: 'document_rollups',
    keys: ['document_id', 'level', 'basis', 'source_id'],
    values: ['n', 'stance_sum'],
    months: null,
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        return {
          keys: ['i.document_id', 'i.level', `'${basis}'`, 'i.source_id'],
          values: ['count(*)', `sum(${b.stance})`],
          from: 'items i',
          where: `${NOT_EXCLUDED} AND ${b.stance} IS NOT NULL AND (${where})`,
          group: [1, 2, 4],
        };
      }),
  },
  {
    table: 'timeline_rollups',
    keys: ['source_id', 'level', 'basis', 'granularity', 'period', 'label'],
    values: ['n', 'stance_n', 'stance_sum'],
    months: null,
    selects: (where) =>
      BASES.flatMap((basis) =>
        GRANULARITIES.map((g) => {
          const b = basisText(basis);
          return {
            keys: ['i.source_id', 'i.level', `'${basis}'`, `'${g}'`, `coalesce(${text(periodSql(g))}, '')`, b.label],
            values: ['count(*)', `count(${b.stance})`, `coalesce(sum(${b.stance}), 0)`],
            from: 'items i JOIN documents d ON d.id = i.document_id',
            where: `${NOT_EXCLUDED} AND ${b.label} IS NOT NULL AND (${where})`,
            group: [1, 2, 5, 6],
          };
        }),
      ),
  },
  {
    // Not a dashboard figure: what a tagging run's estimate sums (db/schema/itemTotals.ts).
    table: 'item_totals',
    keys: ['source_id', 'level', 'tagged'],
    values: ['n', 'chars'],
    months: null,
    selects: (where) => [
      {
        keys: ['i.source_id', 'i.level', 'i.suggestion_count > 0'],
        values: ['count(*)', 'coalesce(sum(i.chars), 0)'],
        from: 'items i',
        where: `${NOT_EXCLUDED} AND (${where})`,
        group: [1, 2, 3],
      },
    ],
  },
  {
    table: 'agreement_rollups',
    keys: ['source_id', 'level', 'suggested', 'reviewed'],
    values: ['n', 'abs_diff', 'stance_pairs'],
    months: 'agreement_rollups_months',
    facets: 'agreement_rollups_facets',
    selects: (where) => [
      {
        keys: ['i.source_id', 'i.level', text(modelPeoplePairs.suggested), text(modelPeoplePairs.people)],
        values: ['count(*)', `coalesce(sum(abs(${text(modelPeoplePairs.stanceDifference)})), 0)`, `count(${text(modelPeoplePairs.stanceDifference)})`],
        from: 'items i',
        where: `${NOT_EXCLUDED} AND ${text(modelPeoplePairs.where)} AND (${where})`,
        group: [1, 2, 3, 4],
      },
    ],
  },
  {
    table: 'corrected_rollups',
    keys: ['source_id', 'level', 'suggested', 'reviewed'],
    values: ['n', 'sm', 'smm', 'sns', 'sd', 'sdd', 'smd'],
    months: 'corrected_rollups_months',
    facets: 'corrected_rollups_facets',
    selects: (where) => {
      const diff = text(correctionSample.diff);
      const inSample = text(correctionSample.inSample);
      const stanceSample = `${inSample} AND ${diff} IS NOT NULL`;
      return [
        {
          keys: ['i.source_id', 'i.level', 'i.suggested_label', `coalesce(CASE WHEN ${inSample} THEN ${text(correctionSample.human)} END, '')`],
          values: [
            'count(*)',
            'coalesce(sum(i.suggested_stance), 0)',
            'coalesce(sum(i.suggested_stance * i.suggested_stance), 0)',
            `coalesce(sum(${stanceSample}), 0)`,
            `coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} END), 0)`,
            `coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} * ${diff} END), 0)`,
            `coalesce(sum(CASE WHEN ${stanceSample} THEN i.suggested_stance * ${diff} END), 0)`,
          ],
          from: `items i ${text(correctionSample.join)}`,
          where: `${NOT_EXCLUDED} AND i.suggested_label IS NOT NULL AND (${where})`,
          group: [1, 2, 3, 4],
        },
      ];
    },
  },
];

/** Each month table: its rollup's keys and month, running sums of the same values from the same selects. */
const MONTH_ROLLUPS: Rollup[] = BASE_ROLLUPS.filter((r) => r.months !== null).map((r) => ({
  table: r.months!,
  keys: [...r.keys, 'month'],
  values: r.values,
  months: null,
  cumulative: true,
  selects: r.selects,
}));

/** Each facet table: its rollup's keys and the facets, the same values from the same selects. */
const FACET_ROLLUPS: Rollup[] = BASE_ROLLUPS.filter((r) => r.facets !== undefined).map((r) => ({
  table: r.facets!,
  keys: [...r.keys, ...facetsOf(r.keys)],
  values: r.values,
  months: null,
  faceted: true,
  selects: r.selects,
}));

const ROLLUPS: Rollup[] = [...BASE_ROLLUPS, ...MONTH_ROLLUPS, ...FACET_ROLLUPS];

const STANCE_KEYS = ['source_id', 'level', 'basis'];
const STANCE_VALUES = ['documents', 'n', 's', 'ss', 'sn', 'nn'];
const STANCE_MONTHS = 'source_stance_rollups_months';

/** A rollup a date range can narrow: its table, its month table, keys (without month) and values; the first value counts rows. */
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

/** Every rollup table, in the order a rebuild fills them. */
export const ROLLUP_TABLES = [...ROLLUPS.map((r) => r.table), 'source_stance_rollups', STANCE_MONTHS, 'suggestion_provenance'];

const SOURCE_STANCE_REBUILD = `INSERT INTO source_stance_rollups (source_id, level, basis, documents, n, s, ss, sn, nn)
  SELECT source_id, level, basis, count(*), sum(n), sum(stance_sum), sum(stance_sum * stance_sum), sum(stance_sum * n), sum(n * n)
  FROM document_rollups GROUP BY source_id, level, basis`;
const PROVENANCE_REBUILD = `INSERT INTO suggestion_provenance (provider, model, prompt_version) SELECT DISTINCT provider, model, prompt_version FROM suggestions`;

/** INSERT of a month table from its monthly sums (a select with the month as its last key): running sums along the months of each key. */
function cumulativeInsert(table: string, keys: string[], values: string[], monthly: string): string {
  const running = values.map((v) => `sum(${v}) OVER w`);
  return `INSERT INTO ${table} (${[...keys, 'month', ...values].join(', ')})
  WITH monthly (${[...keys, 'month', ...values].join(', ')}) AS (${monthly})
  SELECT ${[...keys, 'month', ...running].join(', ')} FROM monthly WINDOW w AS (PARTITION BY ${keys.join(', ')} ORDER BY month)`;
}

const STANCE_MONTHS_REBUILD = cumulativeInsert(
  STANCE_MONTHS,
  STANCE_KEYS,
  STANCE_VALUES,
  `SELECT r.source_id, r.level, r.basis, coalesce(substr(d.published_start, 1, 7), ''), count(*), sum(r.n), sum(r.stance_sum), sum(r.stance_sum * r.stance_sum), sum(r.stance_sum * r.n), sum(r.n * r.n)
   FROM document_rollups r JOIN documents d ON d.id = r.document_id GROUP BY 1, 2, 3, 4`,
);

/** The statements that fill a rollup table from every item. */
function fillStatements(r: Rollup): string[] {
  return r.selects('1').map((s) =>
    r.cumulative ? cumulativeInsert(r.table, r.keys.slice(0, -1), r.values, selectSql(s, 'month')) : `INSERT INTO ${r.table} (${[...r.keys, ...r.values].join(', ')}) ${selectSql(s, extraOf(r), r.keys)}`,
  );
}

/** The SQL statements of a full rebuild, in order (also the backfill of the migrations that created the tables). */
export function rebuildStatements(): string[] {
  return [...ROLLUP_TABLES.map((t) => `DELETE FROM ${t}`), ...ROLLUPS.flatMap(fillStatements), SOURCE_STANCE_REBUILD, STANCE_MONTHS_REBUILD, PROVENANCE_REBUILD];
}

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

/** The statements that move one key's running sums from a month on (a month table's delta). */
interface Cumulative {
  /** The key's running sums before a month. */
  before: Database.Statement;
  /** The key's rows from a month on, in month order. */
  tail: Database.Statement;
  update: Database.Statement;
  insert: Database.Statement;
  remove: Database.Statement;
}

function cumulativeStatements(c: Database.Database, table: string, keys: string[], values: string[]): Cumulative {
  const onKey = keys.map((k) => `${k} = ?`).join(' AND ');
  return {
    before: c.prepare(`SELECT ${values.join(', ')} FROM ${table} WHERE ${onKey} AND month < ? ORDER BY month DESC LIMIT 1`).raw(),
    tail: c.prepare(`SELECT month, ${values.join(', ')} FROM ${table} WHERE ${onKey} AND month >= ? ORDER BY month`).raw(),
    update: c.prepare(`UPDATE ${table} SET ${values.map((v) => `${v} = ?`).join(', ')} WHERE ${onKey} AND month = ?`),
    insert: c.prepare(`INSERT INTO ${table} (${[...keys, 'month', ...values].join(', ')}) VALUES (${[...keys, 'month', ...values].map(() => '?').join(', ')})`),
    remove: c.prepare(`DELETE FROM ${table} WHERE ${onKey} AND month = ?`),
  };
}

/** One key's monthly changes to a month table, gathered so its rows are rewritten once. */
interface MonthChanges {
  st: Cumulative;
  keys: unknown[];
  months: Map<string, number[]>;
}

/**
 * Adds each month's change to that month and every later month of the key, in one pass over
 * the key's rows from its first changed month: a month gets a row when it gains its first item
 * and loses it when its last one goes (its count then equals the month before's), as a rebuild
 * from the monthly sums would have it.
 */
function applyMonthChanges({ st, keys, months }: MonthChanges): void {
  const changes = [...months.entries()].filter(([, v]) => v.some((x) => x !== 0)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (changes.length === 0) return;
  const zero = changes[0]![1].map(() => 0);
  const before = (st.before.get(...keys, changes[0]![0]) as number[] | undefined) ?? zero;
  const rows = st.tail.all(...keys, changes[0]![0]) as [string, ...number[]][];
  const added = [...zero];
  let [i, j] = [0, 0];
  let [oldBefore, newBefore] = [before, before];
  while (i < rows.length || j < changes.length) {
    const rowMonth = rows[i]?.[0];
    const changeMonth = changes[j]?.[0];
    const month = changeMonth !== undefined && (rowMonth === undefined || changeMonth <= rowMonth) ? changeMonth : rowMonth!;
    const existed = rowMonth === month;
    const old = existed ? (rows[i++]!.slice(1) as number[]) : oldBefore;
    if (changeMonth === month) changes[j++]![1].forEach((v, k) => (added[k]! += v));
    else if (added.every((v) => v === 0)) break;
    const next = old.map((v, k) => v + added[k]!);
    if (next[0] === newBefore[0]) {
      if (existed) st.remove.run(...keys, month);
    } else if (existed) st.update.run(...next, ...keys, month);
    else st.insert.run(...keys, month, ...next);
    oldBefore = old;
    newBefore = next;
  }
}

interface Statements {
  contributions: { rollup: Rollup; statements: Database.Statement[] }[];
  upsert: Map<string, Database.Statement>;
  prune: Map<string, Database.Statement>;
  cumulative: Map<string, Cumulative>;
  documentRow: Database.Statement;
  documentMonth: Database.Statement;
  provenance: Database.Statement;
}
const cache = new WeakMap<Database.Database, Map<string, Statements>>();

const upsertSql = (table: string, keys: string[], values: string[]) =>
  `INSERT INTO ${table} (${[...keys, ...values].join(', ')}) VALUES (${[...keys, ...values].map(() => '?').join(', ')})
   ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${values.map((v) => `${v} = ${v} + excluded.${v}`).join(', ')}`;
const pruneSql = (table: string, keys: string[], count: string) => `DELETE FROM ${table} WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')} AND ${count} = 0`;

/** Whose contribution a statement set reads: one item, a document's items, a range of new documents, or a JSON array of item ids. */
type Scope = 'item' | 'document' | 'documents' | 'items';
const SCOPE_WHERE: Record<Scope, string> = { item: 'i.id = ?', document: 'i.document_id = ?', documents: 'i.document_id BETWEEN ? AND ?', items: 'i.id IN (SELECT value FROM json_each(?))' };

function statementsFor(c: Database.Database, scope: Scope): Statements {
  let perClient = cache.get(c);
  if (!perClient) cache.set(c, (perClient = new Map()));
  let s = perClient.get(scope);
  if (s) return s;
  const where = SCOPE_WHERE[scope];
  const plain = ROLLUPS.filter((r) => !r.cumulative);
  s = {
    contributions: ROLLUPS.map((rollup) => ({ rollup, statements: rollup.selects(where).map((q) => c.prepare(selectSql(q, extraOf(rollup), rollup.keys)).raw()) })),
    upsert: new Map([...plain.map((r) => [r.table, c.prepare(upsertSql(r.table, r.keys, r.values))] as const), ['source_stance_rollups', c.prepare(upsertSql('source_stance_rollups', STANCE_KEYS, STANCE_VALUES))]]),
    prune: new Map([...plain.map((r) => [r.table, c.prepare(pruneSql(r.table, r.keys, 'n'))] as const), ['source_stance_rollups', c.prepare(pruneSql('source_stance_rollups', STANCE_KEYS, 'documents'))]]),
    cumulative: new Map([
      ...ROLLUPS.filter((r) => r.cumulative).map((r) => [r.table, cumulativeStatements(c, r.table, r.keys.slice(0, -1), r.values)] as const),
      [STANCE_MONTHS, cumulativeStatements(c, STANCE_MONTHS, STANCE_KEYS, STANCE_VALUES)],
    ]),
    documentRow: c.prepare('SELECT n, stance_sum FROM document_rollups WHERE document_id = ? AND level = ? AND basis = ? AND source_id = ?').raw(),
    documentMonth: c.prepare("SELECT coalesce(substr(published_start, 1, 7), '') FROM documents WHERE id = ?").pluck(),
    provenance: c.prepare(
      `INSERT OR IGNORE INTO suggestion_provenance (provider, model, prompt_version)
       SELECT DISTINCT provider, model, prompt_version FROM suggestions WHERE id IN (SELECT value FROM json_each(?))`,
    ),
  };
  perClient.set(scope, s);
  return s;
}

type Delta = Map<string, { rollup: Rollup; keys: unknown[]; values: number[] }>;

function accumulate(s: Statements, scopeParam: number | string | [number, number], sign: 1 | -1, into: Delta): void {
  const params = Array.isArray(scopeParam) ? scopeParam : [scopeParam];
  for (const { rollup, statements } of s.contributions) {
    for (const st of statements) {
      for (const row of st.all(...params) as unknown[][]) {
        const keys = row.slice(0, rollup.keys.length);
        const key = `${rollup.table}\u0000${JSON.stringify(keys)}`;
        let entry = into.get(key);
        if (!entry) into.set(key, (entry = { rollup, keys, values: rollup.values.map(() => 0) }));
        row.slice(rollup.keys.length).forEach((v, k) => (entry!.values[k]! += sign * (v as number)));
      }
    }
  }
}

function applyDelta(s: Statements, delta: Delta): void {
  const monthChanges = new Map<string, MonthChanges>();
  const toMonths = (table: string, keys: unknown[], month: string, values: number[]) => {
    const id = `${table}\u0000${JSON.stringify(keys)}`;
    let changes = monthChanges.get(id);
    if (!changes) monthChanges.set(id, (changes = { st: s.cumulative.get(table)!, keys, months: new Map() }));
    const into = changes.months.get(month);
    if (into) values.forEach((v, k) => (into[k]! += v));
    else changes.months.set(month, [...values]);
  };
  for (const { rollup, keys, values } of delta.values()) {
    if (values.every((v) => v === 0)) continue;
    if (rollup.cumulative) {
      toMonths(rollup.table, keys.slice(0, -1), keys.at(-1) as string, values);
      continue;
    }
    if (rollup.table === 'document_rollups') {
      // A document's (stance sum, count) moved: its source's sums of squares move with it.
      const [n0, s0] = (s.documentRow.get(...keys) as [number, number] | undefined) ?? [0, 0];
      const [n1, s1] = [n0 + values[0]!, s0 + values[1]!];
      const [documentId, level, basis, sourceId] = keys;
      const stance = [Number(n1 > 0) - Number(n0 > 0), n1 - n0, s1 - s0, s1 * s1 - s0 * s0, s1 * n1 - s0 * n0, n1 * n1 - n0 * n0];
      s.upsert.get('source_stance_rollups')!.run(sourceId, level, basis, ...stance);
      s.prune.get('source_stance_rollups')!.run(sourceId, level, basis);
      toMonths(STANCE_MONTHS, [sourceId, level, basis], s.documentMonth.get(documentId) as string, stance);
    }
    s.upsert.get(rollup.table)!.run(...keys, ...values);
    s.prune.get(rollup.table)!.run(...keys);
  }
  for (const changes of monthChanges.values()) applyMonthChanges(changes);
}

/**
 * Runs `change` (which updates item `itemId`'s state) and moves the item's contribution to every
 * rollup from what it was before to what it is after. Call inside the change's transaction.
 */
export function withItemRollups<T>(tx: DbOrTx, itemId: number, change: () => T): T {
  const s = statementsFor(clientOf(tx), 'item');
  const delta: Delta = new Map();
  accumulate(s, itemId, -1, delta);
  const result = change();
  accumulate(s, itemId, 1, delta);
  applyDelta(s, delta);
  return result;
}

/**
 * `withItemRollups` for many items at once: each rollup's before and after contribution of the
 * whole set is one GROUP BY, so a batch of suggestions moves the rollups in a few statements.
 */
export function withItemsRollups<T>(tx: DbOrTx, itemIds: readonly number[], change: () => T): T {
  const s = statementsFor(clientOf(tx), 'items');
  const ids = JSON.stringify(itemIds);
  const delta: Delta = new Map();
  accumulate(s, ids, -1, delta);
  const result = change();
  accumulate(s, ids, 1, delta);
  applyDelta(s, delta);
  return result;
}

/** Adds a newly stored document's items (document and passage items) to the rollups. */
export function addDocumentToRollups(tx: DbOrTx, documentId: number): void {
  const s = statementsFor(clientOf(tx), 'document');
  const delta: Delta = new Map();
  accumulate(s, documentId, 1, delta);
  applyDelta(s, delta);
}

/**
 * Adds the newly stored documents with ids `firstId..lastId` (all of them new, none yet in
 * the rollups) in one pass per rollup: an import's batch, at the cost of one document.
 */
export function addDocumentsToRollups(tx: DbOrTx, firstId: number, lastId: number): void {
  const s = statementsFor(clientOf(tx), 'documents');
  const delta: Delta = new Map();
  accumulate(s, [firstId, lastId], 1, delta);
  applyDelta(s, delta);
}

/** Takes a document's items out of the rollups; call before deleting the document, in the same transaction. */
export function removeDocumentFromRollups(tx: DbOrTx, documentId: number): void {
  const s = statementsFor(clientOf(tx), 'document');
  const delta: Delta = new Map();
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
export function contributionSql(table: string, where: SQL, only: Readonly<Record<string, string>> = {}): SQL {
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
