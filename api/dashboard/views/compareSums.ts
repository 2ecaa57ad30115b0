import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { REVIEW_STATUSES } from '../../../db/schema/vocabulary.ts';
import { COMPARE_LABELS, COMPARE_LABELS_MONTHS, COMPARE_SOURCES, COMPARE_SOURCES_MONTHS, labelSumsSql, sourceSumsSql } from '../compareRollups.ts';
import type { DocumentUnit, MeasureSums, SideSums } from '../difference.ts';
import { provenanceConditions } from '../facets.ts';
import { dateRange, inList, type DashboardFilters } from '../filters.ts';
import { isDated, periodRuns, wholeMonths } from '../months.ts';
import { splitDays } from './days.ts';

/**
 * The comparison read from its rollups (api/dashboard/compareRollups.ts): each side's sums per
 * label and for the stance from a few rows per source (any date range through the month rows
 * and the edge days, views/days.ts), and its documents as units only when the bootstrap needs
 * them, read by index from the document rollups.
 */

/** labelSumsSql or sourceSumsSql over rows given as SQL (with their parameters). */
function overRows(sums: (rows: string, granularity: string | null) => string, rows: SQL): SQL {
  const marker = '\u0000rows\u0000';
  const [before, after] = sums(marker, null).split(marker) as [string, string];
  return sql`${sql.raw(before)}${rows}${sql.raw(after)}`;
}

const empty = (): MeasureSums => ({ documents: 0, s: 0, n: 0, ss: 0, sn: 0, nn: 0 });

/** A per-source sums table (`table`, its month twin `months`) and how its rows are made from document rows. */
interface SumsTable {
  table: string;
  months: string;
  /** The columns read, summed. */
  columns: string[];
  /** The table's rows over the document rows (of document_label_rollups or document_rollups) matching `where`. */
  fromDocuments: (where: SQL) => SQL;
}

const SOURCE_SUMS: SumsTable = {
  table: COMPARE_SOURCES,
  months: COMPARE_SOURCES_MONTHS,
  columns: ['documents', 'counted_documents', 'n', 'nn'],
  fromDocuments: (where) => overRows(sourceSumsSql, sql`SELECT * FROM document_label_rollups WHERE ${where}`),
};
const LABEL_SUMS: SumsTable = {
  table: COMPARE_LABELS,
  months: COMPARE_LABELS_MONTHS,
  columns: ['label', 'documents', 'c', 'cc', 'cn'],
  fromDocuments: (where) => overRows(labelSumsSql, sql`SELECT * FROM document_label_rollups WHERE ${where}`),
};
const STANCE_SUMS: SumsTable = {
  table: 'source_stance_rollups',
  months: 'source_stance_rollups_months',
  columns: ['documents', 'n', 's', 'ss', 'sn', 'nn'],
  fromDocuments: (where) =>
    sql`SELECT count(*) AS documents, sum(n) AS n, sum(stance_sum) AS s, sum(stance_sum * stance_sum) AS ss, sum(stance_sum * n) AS sn, sum(n * n) AS nn FROM document_rollups WHERE ${where}`,
};

/**
 * A side's rows of a sums table under the date filter, summed (per label for the label sums):
 * the table itself undated; else the month and year rows of the range's whole months (a few
 * runs of the primary key) and, for a bound inside a month, the edge days' documents' own
 * rows, read by document from the document rollups.
 */
function sideRows<T extends unknown[]>(db: Db, f: DashboardFilters, sourceIds: readonly number[], t: SumsTable): T[] {
  const keyed = sql`level = ${f.level} AND basis = ${f.basis} AND source_id IN ${inList(sourceIds)}`;
  const grouped = t.columns[0] === 'label';
  const values = (grouped ? t.columns.slice(1) : t.columns).map((c) => `sum(${c})`).join(', ');
  const head = sql.raw(grouped ? `label, ${values}` : values);
  const tail = sql.raw(grouped ? ' GROUP BY label' : '');
  if (!isDated(f)) return db.values<T>(sql`SELECT ${head} FROM ${sql.raw(t.table)} WHERE ${keyed}${tail}`);
  const split = splitDays(f);
  const columns = sql.raw(t.columns.join(', '));
  // The edge's documents drive the search; the side's sources only filter (+: no index on them).
  const parts: SQL[] = split.edges.map((edge) => {
    const where = sql`level = ${f.level} AND basis = ${f.basis} AND +source_id IN ${inList(sourceIds)}
      AND document_id IN (SELECT id FROM documents WHERE published_start >= ${edge.from} AND published_start <= ${edge.to})`;
    return sql`SELECT ${columns} FROM (${t.fromDocuments(where)}) AS edge`;
  });
  const range = split.months === null ? null : wholeMonths(split.months);
  for (const run of range === null ? [] : periodRuns(range)) {
    parts.push(sql`SELECT ${columns} FROM ${sql.raw(t.months)} WHERE ${keyed} AND granularity = ${run.granularity} AND period BETWEEN ${run.lo} AND ${run.hi}`);
  }
  if (parts.length === 0) return [];
  return db.values<T>(sql`SELECT ${head} FROM (${sql.join(parts, sql` UNION ALL `)}) AS parts${tail}`);
}

/** A side's sums (codebook labels, then the stance) and its counted items, from the rollups. */
export function sideSumsFromRollups(db: Db, f: DashboardFilters, sourceIds: readonly number[], labels: readonly { id: string }[]): { sums: SideSums; counted: number } {
  const measures = [...labels.map(empty), empty()];
  if (sourceIds.length === 0) return { sums: { documents: 0, measures }, counted: 0 };
  const [documents, countedDocuments, n, nn] = (sideRows<(number | null)[]>(db, f, sourceIds, SOURCE_SUMS)[0] ?? []).map((v) => v ?? 0) as number[];
  for (let k = 0; k < labels.length; k++) measures[k] = { documents: countedDocuments ?? 0, s: 0, n: n ?? 0, ss: 0, sn: 0, nn: nn ?? 0 };
  const index = new Map(labels.map((l, k) => [l.id, k]));
  for (const [label, , c, cc, cn] of sideRows<[string, number, number, number, number]>(db, f, sourceIds, LABEL_SUMS)) {
    const k = index.get(label);
    if (k !== undefined) Object.assign(measures[k]!, { s: c, ss: cc, sn: cn });
  }
  const [sd, sn0, s, ss, sn, snn] = (sideRows<(number | null)[]>(db, f, sourceIds, STANCE_SUMS)[0] ?? []).map((v) => v ?? 0) as number[];
  measures[labels.length] = { documents: sd ?? 0, n: sn0 ?? 0, s: s ?? 0, ss: ss ?? 0, sn: sn ?? 0, nn: snn ?? 0 };
  return { sums: { documents: documents ?? 0, measures }, counted: n ?? 0 };
}

/** A side's documents as the bootstrap's units, in document order (as the scan of items gives them), from the document rollups. */
export function sideUnitsFromRollups(db: Db, f: DashboardFilters, sourceIds: readonly number[], labels: readonly { id: string }[]): DocumentUnit[] {
  if (sourceIds.length === 0) return [];
  const dates = isDated(f) ? sql` AND document_id IN (SELECT id FROM documents WHERE ${dateRange(f)})` : sql``;
  const where = sql`level = ${f.level} AND basis = ${f.basis} AND source_id IN ${inList(sourceIds)}${dates}`;
  const index = new Map(labels.map((l, k) => [l.id, k]));
  const measures = labels.length + 1;
  const units = new Map<number, { sums: number[]; counts: number[] }>();
  const unit = (documentId: number) => {
    let u = units.get(documentId);
    if (!u) units.set(documentId, (u = { sums: new Array<number>(measures).fill(0), counts: new Array<number>(measures).fill(0) }));
    return u;
  };
  for (const [documentId, label, n] of db.values<[number, string, number]>(sql`SELECT document_id, label, n FROM document_label_rollups WHERE ${where} ORDER BY document_id`)) {
    const u = unit(documentId);
    if (label === '') continue;
    const k = index.get(label);
    if (k !== undefined) u.sums[k]! += n;
    // Labels outside the codebook still count in each share's denominator, as in the framing view.
    for (let j = 0; j < labels.length; j++) u.counts[j]! += n;
  }
  for (const [documentId, n, stanceSum] of db.values<[number, number, number]>(sql`SELECT document_id, n, stance_sum FROM document_rollups WHERE ${where}`)) {
    const u = unit(documentId);
    u.sums[labels.length] = stanceSum;
    u.counts[labels.length] = n;
  }
  return [...units.values()];
}

/**
 * A side's documents as units under a review-status or provenance filter (no date range): each
 * document's items per label and its stance sums over only its matching items, summed from its
 * facet rows (document_label_rollups_facets, document_rollups_facets), in document order as the
 * scan gives them; with the side's counted items.
 */
export function sideUnitsFromFacets(db: Db, f: DashboardFilters, sourceIds: readonly number[], labels: readonly { id: string }[]): { units: DocumentUnit[]; counted: number } {
  if (sourceIds.length === 0) return { units: [], counted: 0 };
  // Every status named when the filter names none: the key's next column (the provider) is then
  // one seek per status instead of a read of every status's rows.
  const statuses = f.statuses.length > 0 ? f.statuses : REVIEW_STATUSES;
  const where = [sql`level = ${f.level}`, sql`basis = ${f.basis}`, sql`review_status IN ${inList(statuses)}`, ...provenanceConditions(f), sql`source_id IN ${inList(sourceIds)}`];
  const matching = sql.join(where, sql` AND `);
  const index = new Map(labels.map((l, k) => [l.id, k]));
  const measures = labels.length + 1;
  const units = new Map<number, { id: number; sums: number[]; counts: number[] }>();
  const unit = (documentId: number) => {
    let u = units.get(documentId);
    if (!u) units.set(documentId, (u = { id: documentId, sums: new Array<number>(measures).fill(0), counts: new Array<number>(measures).fill(0) }));
    return u;
  };
  let counted = 0;
  // Summed here rather than grouped by SQLite: a document's rows lie under several facet keys, so
  // SQLite would sort them into a temporary B-tree first.
  for (const [documentId, label, n] of db.values<[number, string, number]>(sql`SELECT document_id, label, n FROM document_label_rollups_facets WHERE ${matching}`)) {
    const u = unit(documentId);
    if (label === '') continue;
    counted += n;
    const k = index.get(label);
    if (k !== undefined) u.sums[k]! += n;
    // Labels outside the codebook still count in each share's denominator, as in the framing view.
    for (let j = 0; j < labels.length; j++) u.counts[j]! += n;
  }
  for (const [documentId, n, stanceSum] of db.values<[number, number, number]>(sql`SELECT document_id, n, stance_sum FROM document_rollups_facets WHERE ${matching}`)) {
    const u = unit(documentId);
    u.sums[labels.length]! += stanceSum;
    u.counts[labels.length]! += n;
  }
  return { units: [...units.values()].sort((x, y) => x.id - y.id), counted };
}
