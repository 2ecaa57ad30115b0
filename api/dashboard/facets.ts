import { sql, type SQL } from 'drizzle-orm';
import { FACET_MIRRORS } from './rollups.ts';

/** The review-status and provenance filters of a view. */
export interface FacetFilters {
  statuses: readonly string[];
  provider: string | null;
  model: string | null;
  promptVersion: string | null;
  codebookId: number | null;
}

/** Whether the filters name a review status or a provenance. */
export const hasFacets = (f: FacetFilters): boolean => f.statuses.length > 0 || f.provider !== null || f.model !== null || f.promptVersion !== null || f.codebookId !== null;

const list = (values: readonly (string | number)[]) => sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;

/**
 * A rollup table narrowed by status and provenance: the same columns, each key's values summed
 * over the facet rows (db/schema/facetRollups.ts) that match. The scan's provenance filter
 * joins the latest suggestion, so items without one (provider '' and codebook 0 here) never
 * match a provenance filter either way.
 */
export function facetTable(f: FacetFilters & { level: string; basis: string; sourceIds: readonly number[] }, table: string): SQL {
  const mirror = FACET_MIRRORS.get(table);
  if (mirror === undefined) throw new Error(`${table}: no facet rollups`);
  const where: SQL[] = [sql`level = ${f.level}`];
  if (mirror.keys.includes('basis')) where.push(sql`basis = ${f.basis}`);
  if (mirror.keys.includes('source_id') && f.sourceIds.length > 0) where.push(sql`source_id IN ${list(f.sourceIds)}`);
  if (f.statuses.length > 0) where.push(sql`review_status IN ${list(f.statuses)}`);
  where.push(...provenanceConditions(f));
  const keys = mirror.keys.join(', ');
  return sql`(SELECT ${sql.raw(keys)}, ${sql.raw(mirror.values.map((v) => `sum(${v}) AS ${v}`).join(', '))}
    FROM ${sql.raw(mirror.facets)} WHERE ${sql.join(where, sql` AND `)} GROUP BY ${sql.raw(keys)}) AS ${sql.raw(table)}`;
}

/** The conditions a provenance filter (provider, model, prompt version, codebook) puts on a facet rollup's columns. */
export function provenanceConditions(f: FacetFilters): SQL[] {
  const provenance: [string, string | number | null][] = [
    ['provider', f.provider],
    ['model', f.model],
    ['prompt_version', f.promptVersion],
    ['codebook_id', f.codebookId],
  ];
  return provenance.filter(([, value]) => value !== null).map(([column, value]) => sql`${sql.raw(column)} = ${value}`);
}
