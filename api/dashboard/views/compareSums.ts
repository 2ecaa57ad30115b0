import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { COMPARE_LABELS, COMPARE_SOURCES, labelSumsSql, sourceSumsSql } from '../compareRollups.ts';
import type { DocumentUnit, MeasureSums, SideSums } from '../difference.ts';
import { dateRange, inList, type DashboardFilters } from '../filters.ts';
import { isDated } from '../months.ts';
import { rollupRowsOver } from '../rollups.ts';
import { viewTable } from './days.ts';

/**
 * The comparison read from its rollups (api/dashboard/compareRollups.ts): each side's sums per
 * label and for the stance from a few rows per source (any date range through the month rows
 * and the edge days, views/days.ts), and its documents as units only when the bootstrap needs
 * them, read by index from the document rollups.
 */

/** compare_label_rollups' or compare_source_rollups' rows over the items matching `where`, or null for another table. */
export function compareContribution(table: string, where: SQL, only: Readonly<Record<string, string>>): SQL | null {
  if (table !== COMPARE_LABELS && table !== COMPARE_SOURCES) return null;
  const marker = '\u0000rows\u0000';
  const text = table === COMPARE_LABELS ? labelSumsSql(marker, null) : sourceSumsSql(marker, null);
  const [before, after] = text.split(marker) as [string, string];
  return sql`${sql.raw(before)}${rollupRowsOver('document_label_rollups', where, only)}${sql.raw(after)}`;
}

const empty = (): MeasureSums => ({ documents: 0, s: 0, n: 0, ss: 0, sn: 0, nn: 0 });

/** A side's sums (codebook labels, then the stance) and its counted items, from the rollups. */
export function sideSumsFromRollups(db: Db, f: DashboardFilters, sourceIds: readonly number[], labels: readonly { id: string }[]): { sums: SideSums; counted: number } {
  const measures = [...labels.map(empty), empty()];
  if (sourceIds.length === 0) return { sums: { documents: 0, measures }, counted: 0 };
  const scoped = { ...f, sourceIds };
  const where = sql`level = ${f.level} AND basis = ${f.basis} AND source_id IN ${inList(sourceIds)}`;
  const [documents, countedDocuments, n, nn] = db.values<[number | null, number | null, number | null, number | null]>(
    sql`SELECT sum(documents), sum(counted_documents), sum(n), sum(nn) FROM ${viewTable(scoped, COMPARE_SOURCES)} WHERE ${where}`,
  )[0] ?? [0, 0, 0, 0];
  const index = new Map(labels.map((l, k) => [l.id, k]));
  const rows = db.values<[string, number, number, number, number]>(
    sql`SELECT label, sum(documents), sum(c), sum(cc), sum(cn) FROM ${viewTable(scoped, COMPARE_LABELS)} WHERE ${where} GROUP BY label`,
  );
  for (let k = 0; k < labels.length; k++) measures[k] = { documents: countedDocuments ?? 0, s: 0, n: n ?? 0, ss: 0, sn: 0, nn: nn ?? 0 };
  for (const [label, , c, cc, cn] of rows) {
    const k = index.get(label);
    if (k !== undefined) Object.assign(measures[k]!, { s: c, ss: cc, sn: cn });
  }
  const stance = db.values<[number | null, number | null, number | null, number | null, number | null, number | null]>(
    sql`SELECT sum(documents), sum(n), sum(s), sum(ss), sum(sn), sum(nn) FROM ${viewTable(scoped, 'source_stance_rollups')} WHERE ${where}`,
  )[0];
  if (stance !== undefined) {
    const [sd, sn0, s, ss, sn, snn] = stance.map((v) => v ?? 0) as number[];
    measures[labels.length] = { documents: sd!, n: sn0!, s: s!, ss: ss!, sn: sn!, nn: snn! };
  }
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
