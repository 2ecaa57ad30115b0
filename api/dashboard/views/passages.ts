import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { basisSql, basisStatement, correctionSample, modelPeoplePairs } from '../../items/provenance.ts';
import { periodSql, scope, withDocuments, type DashboardFilters, type Granularity } from '../filters.ts';
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

/** The items behind one number on the dashboard, in document order, paginated. */
export function drillDown(db: Db, f: DashboardFilters, d: DrillDown): Passages {
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
  const matching = sql`${sql.join(joins)} WHERE ${sql.join(where, sql` AND `)}`;
  // The count reads documents only when a period narrows it; the page of rows joins them for titles.
  // items_source_order_idx covers the state columns, so the count of one source's cell reads the
  // index alone, and its rows come in document order without a sort.
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${d.period !== undefined ? withDocuments(s) : s.from}${matching}`).n;
  const order = d.sourceId !== undefined ? sql`i.document_id, i.seq` : sql`src.name, i.document_id, i.seq`;
  const items = db.all<DrillDownItem>(sql`
    SELECT i.id AS itemId, i.document_id AS documentId, d.title AS documentTitle, i.source_id AS sourceId, src.name AS source,
           i.level AS level, i.seq AS seq,
           substr(CASE WHEN i.level = 'passage' THEN (SELECT p.text FROM passages p WHERE p.id = i.passage_id) ELSE d.text END, 1, 400) AS text,
           ${b.label} AS label, ${b.stance} AS stance, i.review_status AS reviewStatus
    FROM ${withDocuments(s)} JOIN sources src ON src.id = i.source_id${matching} ORDER BY ${order} LIMIT ${d.limit} OFFSET ${d.offset}`);
  return { total, items, statement: basisStatement(f.basis) };
}
