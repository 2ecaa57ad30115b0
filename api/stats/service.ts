import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';

/** Corpus and work counts; the same object for `stats --json` and `GET /api/stats`. */
export const StatsSchema = z
  .object({
    sources: z.number().int(),
    documents: z.number().int(),
    passages: z.number().int(),
    excludedPassages: z.number().int(),
    suggestions: z.number().int(),
    reviews: z.number().int(),
    /** Items (passages and documents, excluded passages not counted) with at least one human decision. */
    reviewedItems: z.number().int(),
    taggingRuns: z.number().int(),
    /** Documents linked as copies of another source's document (syndicated stories). */
    syndicatedDocuments: z.number().int(),
    /** Imports that did not complete (interrupted, or running when the process stopped): rerun to resume. */
    unfinishedImports: z.number().int(),
  })
  .meta({ id: 'Stats' });
export type Stats = z.infer<typeof StatsSchema>;

/** Counts every table the CLI and the API report on, in one statement. */
export function getStats(db: Db): Stats {
  const row = db.get<Stats>(sql`
    SELECT
      (SELECT count(*) FROM sources) AS sources,
      (SELECT count(*) FROM documents) AS documents,
      (SELECT count(*) FROM passages) AS passages,
      (SELECT count(*) FROM passages WHERE excluded = TRUE) AS "excludedPassages",
      (SELECT count(*) FROM suggestions) AS suggestions,
      (SELECT count(*) FROM reviews) AS reviews,
      (SELECT count(*) FROM items WHERE excluded = FALSE AND review_status <> 'unreviewed') AS "reviewedItems",
      (SELECT count(*) FROM tagging_runs) AS "taggingRuns",
      (SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL) AS "syndicatedDocuments",
      (SELECT count(*) FROM imports WHERE state <> 'complete') AS "unfinishedImports"
  `);
  return row;
}
