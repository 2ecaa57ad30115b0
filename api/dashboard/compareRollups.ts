import { BASES } from '../../db/schema/vocabulary.ts';
import { countWhereText, monthOfText, yearOfText } from '../../db/sqlDialect.ts';

/**
 * The two-group comparison's rollups (db/schema/compareRollups.ts). document_label_rollups is a
 * base rollup (rollupDefinitions.ts) like any other; the per-source sums over documents are
 * derived from its rows: a document's count of label k (c) and its counted items (n, the sum over
 * its labelled rows) give, per source, documents with the label, Σc, Σc², Σc·n, and documents,
 * counted documents, Σn, Σn². A change to one item can move a document's n and so every one of
 * its labels' Σc·n: the delta re-derives the whole document's sums before and after
 * (rollups.ts applyDelta), as the stance sums do.
 */

/** A derived table: its key columns and value columns (the first value counts what the row sums). */
interface CompareTarget {
  table: string;
  keys: string[];
  values: string[];
}

const periodKeys = (keys: readonly string[]) => [...keys, 'granularity', 'period'];
const LABEL_KEYS = ['source_id', 'level', 'basis', 'label'];
const LABEL_VALUES = ['documents', 'c', 'cc', 'cn'];
const SOURCE_KEYS = ['source_id', 'level', 'basis'];
const SOURCE_VALUES = ['documents', 'counted_documents', 'n', 'nn'];

export const COMPARE_LABELS = 'compare_label_rollups';
export const COMPARE_SOURCES = 'compare_source_rollups';
export const COMPARE_LABELS_MONTHS = 'compare_label_rollups_months';
export const COMPARE_SOURCES_MONTHS = 'compare_source_rollups_months';

/** The derived tables, in the order a rebuild fills them. */
export const COMPARE_TARGETS: CompareTarget[] = [
  { table: COMPARE_LABELS, keys: LABEL_KEYS, values: LABEL_VALUES },
  { table: COMPARE_LABELS_MONTHS, keys: periodKeys(LABEL_KEYS), values: LABEL_VALUES },
  { table: COMPARE_SOURCES, keys: SOURCE_KEYS, values: SOURCE_VALUES },
  { table: COMPARE_SOURCES_MONTHS, keys: periodKeys(SOURCE_KEYS), values: SOURCE_VALUES },
];

/** A document's counted items: its labelled rows summed ('' rows hold items with only a stance). */
const COUNTED = "sum(CASE WHEN label <> '' THEN n ELSE 0 END)";

/**
 * The label sums over `rows` (document_label_rollups' columns, and a `period` column when
 * `granularity` names its granularity as an SQL literal), keyed as compare_label_rollups (with
 * the granularity and period after the keys).
 */
export function labelSumsSql(rows: string, granularity: string | null): string {
  const period = granularity;
  const p = period === null ? '' : `${period}, period, `;
  return `SELECT source_id, level, basis, label, ${p}count(*) AS documents, sum(n) AS c, sum(n * n) AS cc, sum(n * t) AS cn
    FROM (SELECT *, ${COUNTED} OVER (PARTITION BY level, basis, document_id, source_id) AS t FROM (${rows}) AS r) AS rt
    WHERE label <> '' GROUP BY level, basis, source_id, label${period === null ? '' : ', period'}`;
}

/** The source sums over `rows` (as labelSumsSql takes them), keyed as compare_source_rollups. */
export function sourceSumsSql(rows: string, granularity: string | null): string {
  const period = granularity;
  const p = period === null ? '' : `${period}, period, `;
  return `SELECT source_id, level, basis, ${p}count(*) AS documents, ${countWhereText('t > 0')} AS counted_documents, sum(t) AS n, sum(t * t) AS nn
    FROM (SELECT source_id, level, basis, document_id${period === null ? '' : ', period'}, ${COUNTED} AS t FROM (${rows}) AS r GROUP BY level, basis, document_id, source_id${period === null ? '' : ', period'}) AS rt
    GROUP BY level, basis, source_id${period === null ? '' : ', period'}`;
}

const insertInto = (t: CompareTarget) => `INSERT INTO ${t.table} (${[...t.keys, ...t.values].join(', ')})`;

/** The statements that fill the derived tables from the document rows matching `where` (over `r`), each with its table. */
export function compareFill(where = 'TRUE'): { target: CompareTarget; sql: string }[] {
  // The primary key leads with level and basis: naming all of them lets a range of documents seek.
  const keyed = `r.level IN ('passage', 'document') AND r.basis IN (${BASES.map((b) => `'${b}'`).join(', ')}) AND ${where}`;
  const rows = `SELECT r.* FROM document_label_rollups r WHERE ${keyed}`;
  const dated = (g: 'month' | 'year') =>
    `SELECT r.*, ${g === 'month' ? monthOfText('md.published_start') : yearOfText('md.published_start')} AS period FROM document_label_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL AND ${keyed}`;
  const [labels, labelMonths, sources, sourceMonths] = COMPARE_TARGETS as [CompareTarget, CompareTarget, CompareTarget, CompareTarget];
  return [
    { target: labels, sql: `${insertInto(labels)} ${labelSumsSql(rows, null)}` },
    ...(['month', 'year'] as const).map((g) => ({ target: labelMonths, sql: `${insertInto(labelMonths)} ${labelSumsSql(dated(g), `'${g}'`)}` })),
    { target: sources, sql: `${insertInto(sources)} ${sourceSumsSql(rows, null)}` },
    ...(['month', 'year'] as const).map((g) => ({ target: sourceMonths, sql: `${insertInto(sourceMonths)} ${sourceSumsSql(dated(g), `'${g}'`)}` })),
  ];
}

/** Where a derived delta is summed (rollups.ts Delta). */
export interface DeltaSink {
  add(table: string, keys: unknown[], values: readonly number[], sign: number): void;
  addPeriods(table: string, keys: readonly unknown[], month: string, values: readonly number[], sign: number): void;
}

/** One document's rows of document_label_rollups: label → items. */
export type DocumentLabels = ReadonlyMap<string, number>;

/** A document's contribution to the derived tables, added with `sign` into the sink by its source and month. */
function addDocument(into: DeltaSink, labels: DocumentLabels, source: readonly unknown[], month: string, sign: 1 | -1): void {
  let counted = 0;
  let any = false;
  for (const [label, n] of labels) {
    if (n === 0) continue;
    any = true;
    if (label !== '') counted += n;
  }
  if (!any) return;
  const sourceSums = [1, Number(counted > 0), counted, counted * counted];
  into.add(COMPARE_SOURCES, [...source], sourceSums, sign);
  into.addPeriods(COMPARE_SOURCES_MONTHS, source, month, sourceSums, sign);
  for (const [label, c] of labels) {
    if (label === '' || c === 0) continue;
    const sums = [1, c, c * c, c * counted];
    into.add(COMPARE_LABELS, [...source, label], sums, sign);
    into.addPeriods(COMPARE_LABELS_MONTHS, [...source, label], month, sums, sign);
  }
}

/**
 * Moves the derived sums of the documents whose document_label_rollups rows change: `changes`
 * are those rows' deltas (keys document_id, level, basis, source_id, label; values [n]);
 * `current` reads a document's rows as they stand (before the delta is written), `month` its
 * publication month ('' undated).
 */
export function addCompareDeltas(
  changes: Iterable<{ keys: unknown[]; values: number[] }>,
  current: (documentId: unknown, level: unknown, basis: unknown, sourceId: unknown) => [label: string, n: number][],
  month: (documentId: unknown) => string,
  into: DeltaSink,
): void {
  const byDocument = new Map<string, { keys: unknown[]; moves: [string, number][] }>();
  for (const { keys, values } of changes) {
    if (values[0] === 0) continue;
    const id = JSON.stringify(keys.slice(0, 4));
    const entry = byDocument.get(id) ?? { keys: keys.slice(0, 4), moves: [] };
    entry.moves.push([keys[4] as string, values[0]!]);
    byDocument.set(id, entry);
  }
  for (const { keys, moves } of byDocument.values()) {
    const [documentId, level, basis, sourceId] = keys;
    const before = new Map(current(documentId, level, basis, sourceId));
    const after = new Map(before);
    for (const [label, n] of moves) after.set(label, (after.get(label) ?? 0) + n);
    const source = [sourceId, level, basis];
    const published = month(documentId);
    addDocument(into, before, source, published, -1);
    addDocument(into, after, source, published, 1);
  }
}
