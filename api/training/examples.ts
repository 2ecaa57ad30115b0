import { and, asc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { documents, items, itemThemes, passages, reviews } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import type { TrainingExample } from '../providers/local.ts';

/** Review actions that are human decisions (what a retraining learns from). */
export const DECISION_ACTIONS = ['accept', 'edit', 'reject', 'adjudicate'] as const;

/**
 * Every item with an independent human label under the codebook's labels (api/items/provenance.ts,
 * the `people` basis), with the newest review id that could be in it (read in one snapshot): what
 * the local baseline learns from. Bulk accepts (the model's own labels endorsed), suggestions and
 * imported labels (unless the import is marked gold) never enter it, so the model never learns from
 * its own output; nor does any item an evaluation-only import labelled (a held-out set stays held out).
 */
export function reviewedTrainingExamples(db: DbOrTx, cb: CodebookDefinition): { examples: TrainingExample[]; lastReviewId: number } {
  const lastReviewId = db.select({ id: sql<number>`coalesce(max(${reviews.id}), 0)` }).from(reviews).get()!.id;
  const rows = db
    .select({ itemId: items.id, level: items.level, label: items.independentLabel, stance: items.independentStance, passageText: passages.text, documentText: documents.text })
    .from(items)
    .innerJoin(documents, eq(documents.id, items.documentId))
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(and(isNotNull(items.independentLabel), sql`NOT EXISTS (SELECT 1 FROM reviews r JOIN imports im ON im.id = r.import_id WHERE r.item_id = ${items.id} AND im.evaluation_only = TRUE)`))
    .orderBy(asc(items.id))
    .all();
  const themes = new Map<number, string[]>();
  for (const t of db.select().from(itemThemes).where(eq(itemThemes.kind, 'independent')).all()) {
    themes.set(t.itemId, [...(themes.get(t.itemId) ?? []), t.theme]);
  }
  const labelIds = new Set(cb.labels.map((l) => l.id));
  const themeIds = new Set(cb.themes.map((t) => t.id));
  const examples = rows
    .filter((r) => labelIds.has(r.label!))
    .map((r) => ({
      text: r.level === 'passage' ? r.passageText! : r.documentText,
      label: r.label!,
      stance: r.stance,
      themes: (themes.get(r.itemId) ?? []).filter((t) => themeIds.has(t)),
      level: r.level,
    }));
  return { examples, lastReviewId };
}

/**
 * Human decisions recorded after review `afterReviewId`, bulk accepts left out (they add nothing
 * a model can learn): what a model trained then has not seen.
 */
export function decisionsSince(db: DbOrTx, afterReviewId: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(reviews)
    .where(and(sql`${reviews.id} > ${afterReviewId}`, inArray(reviews.action, [...DECISION_ACTIONS]), ne(reviews.kind, 'bulk')))
    .get()!.n;
}
