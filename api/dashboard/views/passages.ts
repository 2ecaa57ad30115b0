import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { basisSql, basisStatement, correctionSample, modelPeoplePairs } from '../../items/provenance.ts';
import { inList, periodSql, readsRollups, rollupSources, scope, withDocuments, type DashboardFilters, type Granularity } from '../filters.ts';
import { isDated } from '../months.ts';
import { viewTable } from './days.ts';
import { hasFacets } from '../facets.ts';
import { LevelSchema, StatementSchema } from './common.ts';

/** What a clicked bar, cell or point stands for; every field narrows the list. */
export interface DrillDown {
  sourceId?: number | undefined;
  label?: string | undefined;
  theme?: string | undefined;
  period?: string | undefined;
  granularity?: Granularity | undefined;
  /** Confusion-matrix cell: suggested and independent human label. */
  suggested?: string | undefined;
  reviewed?: string | undefined;
  /** Only items of the random reviewed sample. */
  randomSample?: boolean;
  offset: number;
  limit: number;
}

const DrillDownItemSchema = z.object({
  itemId: z.number().int(),
  documentId: z.number().int(),
  documentTitle: z.string(),
  sourceId: z.number().int(),
  source: z.string(),
  level: LevelSchema,
  seq: z.number().int(),
  /** Passage text, or the document's opening, cut at 400 characters. */
  text: z.string(),
  label: z.string().nullable(),
  stance: z.number().int().nullable(),
  reviewStatus: z.enum(['unreviewed', 'reviewed', 'disputed', 'adjudicated']),
});
export type DrillDownItem = z.infer<typeof DrillDownItemSchema>;

/** A page of the items behind one number. */
export const PassagesSchema = z.object({ total: z.number().int(), items: z.array(DrillDownItemSchema), statement: StatementSchema }).meta({ id: 'DashboardPassages' });
export type Passages = z.infer<typeof PassagesSchema>;

/**
 * How many items a drill-down's number stands for, per source, from the rollups (the same
 * numbers the views show); null where no rollup holds that number (a random-sample drill, a
 * theme within one label of one source or a period, under a date, status or provenance filter), or
 * `perSource` null where only the total is kept (a label × theme cell).
 */
function rollupCounts(db: Db, f: DashboardFilters, d: DrillDown): { total: number; perSource: Map<number, number> | null } | null {
  if (d.randomSample || !readsRollups(f)) return null;
  const only = (column: string, value: string | number | undefined) => (value === undefined ? sql`` : sql` AND ${sql.raw(column)} = ${value}`);
  const source = sql`${rollupSources(f)}${only('source_id', d.sourceId)}`;
  const labelled = d.label === undefined ? sql` AND label <> ''` : only('label', d.label);
  let query: SQL | null = null;
  if (d.suggested !== undefined || d.reviewed !== undefined) {
    if (d.label !== undefined || d.theme !== undefined || d.period !== undefined) return null;
    query = sql`SELECT source_id, sum(n) FROM ${viewTable({ ...f, basis: '' }, 'agreement_rollups')} WHERE level = ${f.level}${only('suggested', d.suggested)}${only('reviewed', d.reviewed)}${source} GROUP BY source_id`;
  } else if (d.period !== undefined) {
    if (isDated(f) || hasFacets(f) || d.theme !== undefined) return null;
    query = sql`SELECT source_id, sum(n) FROM timeline_rollups WHERE level = ${f.level} AND basis = ${f.basis} AND granularity = ${d.granularity ?? 'month'} AND period = ${d.period}${only('label', d.label)}${source} GROUP BY source_id`;
  } else if (d.theme !== undefined && d.label !== undefined) {
    if (d.sourceId === undefined && f.sourceIds.length === 0) {
      const total = db.values<[number | null]>(sql`SELECT sum(n) FROM ${viewTable(f, 'label_theme_rollups')} WHERE level = ${f.level} AND basis = ${f.basis} AND label = ${d.label} AND theme = ${d.theme}`)[0]?.[0] ?? 0;
      return { total, perSource: null };
    }
    if (isDated(f) || hasFacets(f)) return null;
    query = sql`SELECT source_id, sum(n) FROM source_theme_rollups WHERE level = ${f.level} AND basis = ${f.basis} AND label = ${d.label} AND theme = ${d.theme}${source} GROUP BY source_id`;
  } else if (d.theme !== undefined) {
    query = sql`SELECT source_id, sum(n) FROM ${viewTable(f, 'source_theme_totals')} WHERE level = ${f.level} AND basis = ${f.basis} AND theme = ${d.theme}${source} GROUP BY source_id`;
  } else {
    query = sql`SELECT source_id, sum(n) FROM ${viewTable(f, 'source_rollups')} WHERE level = ${f.level} AND basis = ${f.basis}${labelled}${source} GROUP BY source_id`;
  }
  const perSource = new Map(db.values<[number, number]>(query).filter(([, n]) => n > 0));
  return { total: [...perSource.values()].reduce((a, n) => a + n, 0), perSource };
}

/**
 * The items behind one number on the dashboard, in document order (sources by name), paginated.
 * Where the rollups hold the number, its count is theirs: nothing to show costs no scan, and a
 * page across sources skips whole sources by their counts and reads the rest of each source in
 * index order (keyset by source), so no page sorts every matching item.
 */
export function drillDown(db: Db, filters: DashboardFilters, d: DrillDown): Passages {
  if (d.sourceId !== undefined && filters.sourceIds.length > 0 && !filters.sourceIds.includes(d.sourceId)) return { total: 0, items: [], statement: basisStatement(filters.basis) };
  // One source's cell: its counts, and the items of a bound's edge days, are read for that source alone.
  const f = d.sourceId === undefined ? filters : { ...filters, sourceIds: [d.sourceId] };
  const b = basisSql(f.basis);
  const s = scope(f);
  const where: SQL[] = [s.where];
  const joins: SQL[] = [];
  if (d.suggested !== undefined || d.reviewed !== undefined) {
    where.push(modelPeoplePairs.where);
    if (d.suggested !== undefined) where.push(sql`${modelPeoplePairs.suggested} = ${d.suggested}`);
    if (d.reviewed !== undefined) where.push(sql`${modelPeoplePairs.people} = ${d.reviewed}`);
  } else {
    where.push(sql`${b.label} IS NOT NULL`);
  }
  if (d.sourceId !== undefined) where.push(sql`i.source_id = ${d.sourceId}`);
  if (d.label !== undefined) where.push(sql`${b.label} = ${d.label}`);
  if (d.theme !== undefined) where.push(sql`EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id AND t.kind = ${b.themeKind} AND t.theme = ${d.theme})`);
  if (d.period !== undefined) where.push(sql`${periodSql(d.granularity ?? 'month')} = ${d.period}`);
  if (d.randomSample) {
    joins.push(sql` ${correctionSample.join}`);
    where.push(correctionSample.inSample);
  }
  const matching = (extra: SQL = sql``) => sql`${sql.join(joins)} WHERE ${sql.join(where, sql` AND `)}${extra}`;
  const page = (extra: SQL, order: SQL, limit: number, offset: number) =>
    db.all<DrillDownItem>(sql`
      SELECT i.id AS "itemId", i.document_id AS "documentId", d.title AS "documentTitle", i.source_id AS "sourceId", src.name AS source,
             i.level AS level, i.seq AS seq,
             substr(CASE WHEN i.level = 'passage' THEN (SELECT p.text FROM passages p WHERE p.id = i.passage_id) ELSE d.text END, 1, 400) AS text,
             ${b.label} AS label, ${b.stance} AS stance, i.review_status AS "reviewStatus"
      FROM ${withDocuments(s)} JOIN sources src ON src.id = i.source_id${matching(extra)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
  const inDocumentOrder = sql`i.document_id, i.seq`;
  const counted = rollupCounts(db, f, d);
  if (counted !== null && (counted.total <= d.offset || d.sourceId !== undefined || counted.perSource !== null)) {
    if (counted.total <= d.offset) return { total: counted.total, items: [], statement: basisStatement(f.basis) };
    if (d.sourceId !== undefined) return { total: counted.total, items: page(sql``, inDocumentOrder, d.limit, d.offset), statement: basisStatement(f.basis) };
    // Source names are unique, so sources in name order (as SQL orders them) keep the page's order.
    const bySourceName = db.values<[number]>(sql`SELECT id FROM sources WHERE id IN ${inList([...counted.perSource!.keys()])} ORDER BY name`).map(([id]) => [id, counted.perSource!.get(id)!] as const);
    const items: DrillDownItem[] = [];
    let skip = d.offset;
    for (const [sourceId, n] of bySourceName) {
      if (items.length >= d.limit) break;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      items.push(...page(sql` AND i.source_id = ${sourceId}`, inDocumentOrder, d.limit - items.length, skip));
      skip = 0;
    }
    return { total: counted.total, items, statement: basisStatement(f.basis) };
  }
  // The count reads documents only when a period narrows it; the page of rows joins them for titles.
  // items_source_order_idx covers the state columns, so the count of one source's cell reads the
  // index alone, and its rows come in document order without a sort.
  const total = counted?.total ?? db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${d.period !== undefined ? withDocuments(s) : s.from}${matching()}`).n;
  const order = d.sourceId !== undefined ? inDocumentOrder : sql`src.name, i.document_id, i.seq`;
  return { total, items: page(sql``, order, d.limit, d.offset), statement: basisStatement(f.basis) };
}
