import { z } from '@hono/zod-openapi';
import { periodEnd, periodStart } from '../periods.ts';
import { sql, type SQL } from 'drizzle-orm';
import { REVIEW_STATUSES, type ReviewStatus } from '../../db/schema/vocabulary.ts';
import type { Db } from '../../db/client.ts';
import { monthOf, yearOf } from '../../db/sqlDialect.ts';
import { badRequest } from '../errors.ts';
import { resolveSources } from '../ingest/sourceNames.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';
import { requestedBasis, type Basis } from '../items/provenance.ts';
import { parseGroupRef, type GroupRef } from './groups.ts';
import { hasFacets } from './facets.ts';
import { isDated } from './months.ts';

/**
 * The filters every dashboard view shares, as they travel in the URL. Lists are comma-separated
 * (`sources=3,7`) so a filter state is one readable query string the page can put in its own URL.
 */
export const DashboardQuerySchema = z.object({
  basis: z.enum(['model', 'people', 'final']).default('final').openapi({
    description: 'model: latest suggestions; people: independent human decisions (no bulk accepts, no imported labels unless gold); final: the human decision where there is one, else the suggestion',
  }),
  includeBulk: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .openapi({ type: 'string', enum: ['1', '0', 'true', 'false'], description: 'With basis=people: also count bulk accepts and imported labels (stated in the response)' }),
  level: z.enum(['passage', 'document']).default('passage'),
  sources: z.string().optional().openapi({ description: 'Comma-separated source ids or exact names (the same parameter as the review queue and the export)' }),
  from: z.string().optional().openapi({ description: 'Earliest publication date: YYYY, YYYY-MM or YYYY-MM-DD' }),
  to: z.string().optional().openapi({ description: 'Latest publication date: YYYY, YYYY-MM or YYYY-MM-DD' }),
  provider: z.string().optional(),
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  codebook: z.string().optional().openapi({ description: 'Codebook id; the active codebook when absent' }),
  status: z.string().optional().openapi({ description: `Comma-separated review statuses: ${REVIEW_STATUSES.join(', ')}` }),
  groupBy: z.string().max(60).optional().openapi({ description: 'Aggregate by a grouping of sources instead of by source: country, language or a named grouping (GET /api/sources/groupings)' }),
  top: z
    .string()
    .regex(/^([1-9]\d*|all)$/, 'expected a whole number from 1, or "all"')
    .optional()
    .openapi({ description: 'Only the N largest sources (or groups) by volume get their own row; the rest are summed in one "others" row. all (the default): every one' }),
  group: z.string().max(300).optional().openapi({ description: 'Only the sources of one group, as GROUPING:VALUE (alignment:independent; alignment: for the sources without a value)' }),
  syndicated: z.enum(['include', 'exclude']).default('include').openapi({ description: "exclude: leave out documents linked as copies of another source's document (syndicated stories)" }),
  story: z.string().regex(/^[1-9]\d*$/, 'expected a story id').optional().openapi({ description: 'Only the documents of one story (GET /api/stories)' }),
});
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;


/** Parsed, validated filters. */
export interface DashboardFilters {
  /** Which labels the view counts (api/items/provenance.ts). */
  basis: Basis;
  level: 'passage' | 'document';
  sourceIds: number[];
  from: string | null;
  to: string | null;
  provider: string | null;
  model: string | null;
  promptVersion: string | null;
  codebookId: number | null;
  statuses: ReviewStatus[];
  /** Leave out syndicated copies (documents linked to another source's earlier document). */
  excludeSyndicated: boolean;
  /** Rows per group of this grouping instead of per source (dashboard/groups.ts). */
  groupBy: string | null;
  /** Only this group's sources; resolved into `sourceIds` by resolveGroupScope. */
  group: GroupRef | null;
  /** Rows for the N largest units by volume, the rest summed in one "others" row; null: every unit. */
  top: number | null;
  /** Only the documents of these stories (story_documents); null: no story filter, []: nothing. */
  storyIds: number[] | null;
  /** Read `items` even where the rollups could answer (the equivalence tests compare both). */
  scan?: boolean;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** A date bound as the first (`from`) or last (`to`) day it can mean: `2022` → 2022-01-01 / 2022-12-31, `2022-02` → 2022-02-01 / 2022-02-28. */
function dateBound(value: string | undefined, name: 'from' | 'to'): string | null {
  if (value === undefined || value === '') return null;
  const m = DATE.exec(value);
  if (!m) throw badRequest(`${name}: expected YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"`, 'invalid_input');
  const [, , mo] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) throw badRequest(`${name}: month out of range in "${value}"`, 'invalid_input');
  return name === 'from' ? periodStart(value) : periodEnd(value);
}

function ids(value: string | undefined, name: string): number[] {
  const values = list(value);
  if (values.length > MAX_IDS_PER_LIST) throw badRequest(tooManyIds(name, values.length), 'too_many_ids');
  return values.map((v) => {
    if (!/^\d+$/.test(v)) throw badRequest(`${name}: "${v}" is not an id`, 'invalid_input');
    return Number(v);
  });
}

const isStatus = (s: string): s is ReviewStatus => (REVIEW_STATUSES as readonly string[]).includes(s);

/** Parses the URL filters; a malformed value or an unknown source is a 400 naming it. */
export function parseFilters(q: DashboardQuery, db: Db): DashboardFilters {
  const statuses = list(q.status);
  const unknown = statuses.find((s) => !isStatus(s));
  if (unknown !== undefined) throw badRequest(`status: "${unknown}" is not one of ${REVIEW_STATUSES.join(', ')}`, 'invalid_input');
  const from = dateBound(q.from, 'from');
  const to = dateBound(q.to, 'to');
  if (from && to && from > to) throw badRequest(`from (${q.from}) is after to (${q.to})`, 'invalid_input');
  const codebook = ids(q.codebook, 'codebook');
  if (codebook.length > 1) throw badRequest('codebook: give one codebook id', 'invalid_input');
  const basis = requestedBasis(q.basis, q.includeBulk);
  if (typeof basis !== 'string') throw badRequest(basis.error, 'invalid_input');
  return {
    basis,
    level: q.level,
    sourceIds: resolveSources(db.$client, list(q.sources)).map((s) => s.id),
    from,
    to,
    provider: q.provider || null,
    model: q.model || null,
    promptVersion: q.promptVersion || null,
    codebookId: codebook[0] ?? null,
    statuses: statuses.filter(isStatus),
    excludeSyndicated: q.syndicated === 'exclude',
    groupBy: q.groupBy?.trim() || null,
    group: q.group ? parseGroupRef(q.group, 'group') : null,
    top: q.top === undefined || q.top === 'all' ? null : Number(q.top),
    storyIds: q.story === undefined ? null : [Number(q.story)],
  };
}

/** `(a, b, c)` for an IN list. */
export const inList = (values: readonly (string | number)[]): SQL => sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;

/** The FROM and WHERE of the rows a view may count, over `items i`. */
export interface Scope {
  from: SQL;
  where: SQL;
  /** Whether `from` already joins `documents d` (a date filter needs it). */
  documents: boolean;
}

/**
 * The rows a view may count: items of the chosen level, never excluded ones, narrowed by the
 * filters. Joins documents only for a date range and the latest suggestion only for
 * provenance filters, so the common case scans `items` alone.
 */
export function scope(f: DashboardFilters): Scope {
  const joins: SQL[] = [];
  const where: SQL[] = [sql`i.level = ${f.level}`, sql`i.excluded = FALSE`];
  // A story's few documents drive the search (items by document); a list of sources must not (+: no index on it).
  if (f.sourceIds.length > 0) where.push(f.storyIds === null ? sql`i.source_id IN ${inList(f.sourceIds)}` : sql`+i.source_id IN ${inList(f.sourceIds)}`);
  if (f.statuses.length > 0) where.push(sql`i.review_status IN ${inList(f.statuses)}`);
  const documents = f.from !== null || f.to !== null || f.excludeSyndicated;
  if (documents) {
    joins.push(sql`JOIN documents d ON d.id = i.document_id`);
    if (f.from) where.push(sql`d.published_start >= ${f.from}`);
    if (f.to) where.push(sql`d.published_start <= ${f.to}`);
    if (f.excludeSyndicated) where.push(sql`d.duplicate_of IS NULL`);
  }
  if (f.storyIds !== null) {
    where.push(f.storyIds.length === 0 ? sql`FALSE` : sql`i.document_id IN (SELECT sd.document_id FROM story_documents sd WHERE sd.story_id IN ${inList(f.storyIds)})`);
  }
  const provenance: [SQL, string | number | null][] = [
    [sql`s.provider`, f.provider],
    [sql`s.model`, f.model],
    [sql`s.prompt_version`, f.promptVersion],
    [sql`s.codebook_id`, f.codebookId],
  ];
  if (provenance.some(([, v]) => v !== null)) {
    joins.push(sql`JOIN suggestions s ON s.id = i.latest_suggestion_id`);
    for (const [column, v] of provenance) if (v !== null) where.push(sql`${column} = ${v}`);
  }
  return { from: sql.join([sql`items i`, ...joins], sql` `), where: sql.join(where, sql` AND `), documents };
}

/** A date filter over a documents table's `published_start` (only call it with a date filter). */
export function dateRange(f: Pick<DashboardFilters, 'from' | 'to'>, column: SQL = sql`published_start`): SQL {
  const bounds: SQL[] = [];
  if (f.from) bounds.push(sql`${column} >= ${f.from}`);
  if (f.to) bounds.push(sql`${column} <= ${f.to}`);
  return sql.join(bounds, sql` AND `);
}

/** The scope's FROM with `documents d` joined, for views that need a document's date or title. */
export const withDocuments = (s: Scope): SQL => (s.documents ? s.from : sql`${s.from} JOIN documents d ON d.id = i.document_id`);

export type Granularity = 'month' | 'year';

/** SQL for a document's period at a granularity; null when its date is too coarse (a year-only date has no month). */
export function periodSql(granularity: Granularity): SQL {
  return granularity === 'year'
    ? sql`CASE WHEN d.published_start IS NOT NULL THEN ${yearOf(sql`d.published_start`)} END`
    : sql`CASE WHEN d.published_precision IN ('day','month') THEN ${monthOf(sql`d.published_start`)} END`;
}

/**
 * Whether a view can read the maintained rollups (api/dashboard/rollups.ts) instead of scanning
 * items: any basis, either level and a source filter are kept in the rollups, and so are either a
 * date range (the month rollups, api/dashboard/months.ts, with the days of a bound inside a
 * month read from their own items: views/days.ts) or review-status and provenance (provider,
 * model, prompt version, codebook) filters (the facet rollups, api/dashboard/facets.ts). A date
 * range together with a status or provenance filter, the syndication filter and the story filter
 * fall back to the scans (views/read.ts).
 */
export function readsRollups(f: DashboardFilters): boolean {
  if (f.scan || f.excludeSyndicated || f.storyIds !== null) return false;
  return !(isDated(f) && hasFacets(f));
}

/**
 * The only sources a view's rows can come from, or null when any source can: the chosen sources
 * (a group's, once resolved), and under a story filter the sources of the story's documents. A
 * story of a dozen articles then names a dozen sources instead of reading all 500 names and
 * volumes.
 */
export function reachableSources(db: Db, f: DashboardFilters): number[] | null {
  if (f.storyIds === null) return f.sourceIds.length > 0 ? f.sourceIds : null;
  if (f.storyIds.length === 0) return [];
  const inStory = db
    .all<{ id: number }>(sql`SELECT DISTINCT d.source_id AS id FROM story_documents sd JOIN documents d ON d.id = sd.document_id WHERE sd.story_id IN ${inList(f.storyIds)}`)
    .map((r) => r.id);
  return f.sourceIds.length > 0 ? inStory.filter((id) => f.sourceIds.includes(id)) : inStory;
}

/** ` AND source_id IN (...)` for the rollup tables when the view is narrowed to some sources. */
export function rollupSources(f: DashboardFilters): SQL {
  return f.sourceIds.length === 0 ? sql`` : sql` AND source_id IN ${inList(f.sourceIds)}`;
}
