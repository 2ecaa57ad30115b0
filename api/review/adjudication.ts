import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { requireAdmin, type Actor } from '../auth/service.ts';
import { getProtocol } from './protocol.ts';

/** A disagreement waiting for an admin. */
export const AdjudicationCaseSchema = z
  .object({
    itemId: z.number().int(),
    level: z.enum(['passage', 'document']),
    documentTitle: z.string(),
    sourceName: z.string(),
    snippet: z.string(),
    /** reviewers: people disagree; model: people agree with each other but not with the model's suggestion. */
    kind: z.enum(['reviewers', 'model']),
    suggestedLabel: z.string().nullable(),
    reviewedLabel: z.string().nullable(),
    decisions: z.array(z.object({ reviewer: z.string(), label: z.string().nullable(), action: z.enum(['accept', 'edit', 'reject']), kind: z.enum(['manual', 'bulk', 'import']) })),
  })
  .meta({ id: 'AdjudicationCase' });
export type AdjudicationCase = z.infer<typeof AdjudicationCaseSchema>;

/** The cases an admin is asked to settle. */
export const AdjudicationCasesSchema = z.object({ cases: z.array(AdjudicationCaseSchema) }).meta({ id: 'AdjudicationCases' });

/**
 * Items where reviewers disagree (disputed) or the independent human decision differs from the
 * model, not yet adjudicated, most contested first, and only once an item has the independent
 * decisions the protocol wants (api/review/visibility.ts). Admins only.
 */
export function adjudicationCases(db: Db, actor: Actor, opts: { kind?: 'reviewers' | 'model' | undefined; limit: number }): AdjudicationCase[] {
  requireAdmin(actor);
  const reviewersCase = sql`i.review_status = 'disputed'`;
  const modelCase = sql`(i.review_status = 'reviewed' AND i.independent_label IS NOT NULL AND i.suggested_label IS NOT NULL AND i.independent_label <> i.suggested_label)`;
  const protocol = getProtocol(db);
  const ready = sql`i.independent_count >= CASE WHEN ${protocol.overlap} > 1 AND i.random_key < ${protocol.overlapShare} THEN ${protocol.overlap} ELSE 1 END`;
  const where = opts.kind === 'reviewers' ? reviewersCase : opts.kind === 'model' ? modelCase : sql`(${reviewersCase} OR ${modelCase})`;
  const rows = db.all<{ itemId: number; level: 'passage' | 'document'; documentTitle: string; sourceName: string; snippet: string; status: string; suggestedLabel: string | null; reviewedLabel: string | null }>(sql`
    SELECT i.id AS "itemId", i.level, d.title AS "documentTitle", s.name AS "sourceName", substr(COALESCE(p.text, d.text), 1, 200) AS snippet,
      i.review_status AS status, i.suggested_label AS "suggestedLabel", i.reviewed_label AS "reviewedLabel"
    FROM items i JOIN documents d ON d.id = i.document_id JOIN sources s ON s.id = i.source_id LEFT JOIN passages p ON p.id = i.passage_id
    WHERE i.excluded = FALSE AND ${ready} AND ${where}
    ORDER BY CASE WHEN i.review_status = 'disputed' THEN 0 ELSE 1 END, i.review_count DESC, i.id
    LIMIT ${opts.limit}`);
  return rows.map((r) => ({
    itemId: r.itemId,
    level: r.level,
    documentTitle: r.documentTitle,
    sourceName: r.sourceName,
    snippet: r.snippet,
    kind: r.status === 'disputed' ? 'reviewers' : 'model',
    suggestedLabel: r.suggestedLabel,
    reviewedLabel: r.reviewedLabel,
    decisions: db.all<AdjudicationCase['decisions'][number]>(sql`
      SELECT u.name AS reviewer, r.label, r.action, r.kind FROM reviews r JOIN users u ON u.id = r.reviewer_id
      WHERE r.item_id = ${r.itemId} AND r.action IN ('accept', 'edit', 'reject')
        AND NOT EXISTS (SELECT 1 FROM reviews x WHERE x.undoes_review_id = r.id)
      ORDER BY r.id`),
  }));
}
