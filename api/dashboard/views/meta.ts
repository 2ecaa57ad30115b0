import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { INDEPENDENT_REVIEW_JOIN, IN_RANDOM_SAMPLE } from '../../items/provenance.ts';
import type { DashboardFilters } from '../filters.ts';
import { codebookFor, CodebookViewSchema } from './common.ts';
import { readView } from './read.ts';
import { countWhere } from '../../../db/sqlDialect.ts';

/** What the filter bar offers. */
export const DashboardMetaSchema = z
  .object({
    codebook: CodebookViewSchema,
    codebooks: z.array(z.object({ id: z.number().int(), name: z.string(), version: z.string(), active: z.boolean() })),
    sources: z.array(z.object({ id: z.number().int(), name: z.string(), items: z.number().int() })),
    provenance: z.array(z.object({ provider: z.string(), model: z.string(), promptVersion: z.string() })),
    totals: z.object({ items: z.number().int(), suggested: z.number().int(), reviewed: z.number().int(), randomSample: z.number().int() }),
    /** Items, suggested and reviewed items at each level, unfiltered: the page opens at the level that has labels. */
    levels: z.object({
      passage: z.object({ items: z.number().int(), suggested: z.number().int(), reviewed: z.number().int() }),
      document: z.object({ items: z.number().int(), suggested: z.number().int(), reviewed: z.number().int() }),
    }),
    dates: z.object({ earliest: z.string().nullable(), latest: z.string().nullable() }),
  })
  .meta({ id: 'DashboardMeta' });
export type DashboardMeta = z.infer<typeof DashboardMetaSchema>;

type Totals = DashboardMeta['totals'];
type Provenance = DashboardMeta['provenance'];

/** The filter bar's numbers ignore the filters: only the level, and whether to scan, count. */
const unfiltered = (f: DashboardFilters): DashboardFilters => ({ ...f, sourceIds: [], from: null, to: null, provider: null, model: null, promptVersion: null, codebookId: null, statuses: [] });

/** Codebook, sources, provenance values and totals for the filter bar and the empty state. */
export function dashboardMeta(db: Db, f: DashboardFilters): DashboardMeta {
  const codebooks = db.all<{ id: number; name: string; version: string; active: number }>(sql`SELECT id, name, version, active FROM codebooks ORDER BY id`);
  const { counts, provenance, totals } = readView(unfiltered(f), {
    rollups: () => ({
      counts: db.all<{ id: number; n: number }>(sql`SELECT source_id AS id, sum(n) AS n FROM source_status_rollups WHERE level = ${f.level} GROUP BY source_id`),
      provenance: db.all<Provenance[number]>(sql`SELECT DISTINCT provider, model, prompt_version AS "promptVersion" FROM suggestion_provenance ORDER BY provider, model, prompt_version`),
      totals: db.get<Totals>(sql`
        SELECT coalesce(sum(n), 0) AS items, coalesce(sum(suggested), 0) AS suggested,
               coalesce(sum(CASE WHEN review_status <> 'unreviewed' THEN n ELSE 0 END), 0) AS reviewed, coalesce(sum(random_sample), 0) AS "randomSample"
        FROM source_status_rollups WHERE level = ${f.level}`),
    }),
    scan: () => ({
      counts: db.all<{ id: number; n: number }>(sql`SELECT source_id AS id, count(*) AS n FROM items WHERE level = ${f.level} AND excluded = FALSE GROUP BY source_id`),
      provenance: db.all<Provenance[number]>(sql`SELECT DISTINCT provider, model, prompt_version AS "promptVersion" FROM suggestions ORDER BY provider, model, prompt_version`),
      totals: db.get<Totals>(sql`
        SELECT count(*) AS items, count(i.suggested_label) AS suggested,
               coalesce(${countWhere(sql`i.review_status <> 'unreviewed'`)}, 0) AS reviewed, coalesce(${countWhere(IN_RANDOM_SAMPLE)}, 0) AS "randomSample"
        FROM items i ${INDEPENDENT_REVIEW_JOIN}
        WHERE i.level = ${f.level} AND i.excluded = FALSE`),
    }),
  });
  const items = new Map(counts.map((r) => [r.id, r.n]));
  const levels = { passage: { items: 0, suggested: 0, reviewed: 0 }, document: { items: 0, suggested: 0, reviewed: 0 } };
  for (const r of db.all<{ level: 'passage' | 'document'; items: number; suggested: number; reviewed: number }>(sql`
    SELECT level, sum(n) AS items, sum(suggested) AS suggested, sum(CASE WHEN review_status <> 'unreviewed' THEN n ELSE 0 END) AS reviewed
    FROM source_status_rollups GROUP BY level`)) {
    levels[r.level] = { items: r.items, suggested: r.suggested, reviewed: r.reviewed };
  }
  return {
    codebook: codebookFor(db, f),
    codebooks: codebooks.map((r) => ({ ...r, active: r.active === 1 })),
    // Largest first: the picker lists outlets by volume.
    sources: db
      .all<{ id: number; name: string }>(sql`SELECT id, name FROM sources ORDER BY name`)
      .map((s) => ({ ...s, items: items.get(s.id) ?? 0 }))
      .sort((a, b) => b.items - a.items || a.name.localeCompare(b.name)),
    provenance,
    totals,
    levels,
    dates: db.get<DashboardMeta['dates']>(sql`SELECT min(published_start) AS earliest, max(published_start) AS latest FROM documents`),
  };
}
