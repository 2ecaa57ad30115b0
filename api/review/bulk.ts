import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { items, reviews, reviewThemes, suggestions, type Review } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../auth/service.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { badRequest, conflict } from '../errors.ts';
import { recomputeReviewStates } from '../items/state.ts';
import { auditSnapshot } from './decisions.ts';
import { itemState } from './item.ts';
import { getProtocol } from './protocol.ts';
import { filterCondition, type QueueFilter } from './queue.ts';

/**
 * Bulk accept: a person endorsing the model's latest suggestion on many unreviewed items at
 * once, without reading each. Recorded as reviews of kind `bulk` (origin `bulk`,
 * api/items/provenance.ts): shown and exported, never counted as independent human decisions.
 */

type Codebook = ReturnType<typeof getActiveCodebook>;

/** An item a bulk accept would accept. */
const BulkCandidateSchema = z.object({ itemId: z.number().int(), label: z.string(), confidence: z.number(), snippet: z.string() });
type BulkCandidate = z.infer<typeof BulkCandidateSchema>;

/** What a bulk accept would accept. */
export const BulkPreviewSchema = z
  .object({
    count: z.number().int(),
    threshold: z.number(),
    /** Most items one bulk accept takes (MAX_BULK_ITEMS). */
    limit: z.number().int(),
    /** The first candidates, highest confidence first (at most 200). */
    items: z.array(BulkCandidateSchema),
  })
  .meta({ id: 'BulkPreview' });
export type BulkPreview = z.infer<typeof BulkPreviewSchema>;

/** The outcome of a bulk accept: how many were accepted, and how many left the selection while it ran (someone reviewed them, or a new suggestion arrived) and were left alone. */
export const BulkAcceptedSchema = z.object({ accepted: z.number().int(), skipped: z.number().int() }).meta({ id: 'BulkAccepted' });
export type BulkResult = z.infer<typeof BulkAcceptedSchema>;

const BULK_PREVIEW_ROWS = 200;
/** Most items one bulk accept may take: a larger selection is refused (400) with this limit. */
export const MAX_BULK_ITEMS = 10_000;
/** Items accepted per transaction; the server answers other requests between chunks. */
export const BULK_CHUNK_ITEMS = 50;

function bulkWhere(db: Db | Tx, actor: Actor, filter: QueueFilter, threshold: number) {
  const protocol = getProtocol(db);
  if (protocol.blind) throw badRequest('blind mode: suggestions are hidden, so they cannot be accepted in bulk', 'blind');
  if (!(threshold >= 0 && threshold <= 1)) throw badRequest(`threshold ${threshold} must be between 0 and 1`, 'invalid_threshold');
  return sql`${filterCondition(db, { ...filter, status: 'unreviewed' }, actor, protocol)} AND i.latest_suggestion_id IS NOT NULL AND i.suggested_confidence >= ${threshold}`;
}

/** What a bulk accept over the current filter at `threshold` would accept (only unreviewed items with a suggestion). */
export function previewBulkAccept(db: Db, actor: Actor, filter: QueueFilter, threshold: number): BulkPreview {
  const where = bulkWhere(db, actor, filter, threshold);
  const count = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM items i WHERE ${where}`).n;
  const rows = db.all<BulkCandidate>(sql`
    SELECT i.id AS "itemId", i.suggested_label AS label, i.suggested_confidence AS confidence,
      substr(COALESCE(p.text, d.text), 1, 160) AS snippet
    FROM items i JOIN documents d ON d.id = i.document_id LEFT JOIN passages p ON p.id = i.passage_id
    WHERE ${where} ORDER BY i.suggested_confidence DESC, i.id LIMIT ${BULK_PREVIEW_ROWS}`);
  return { count, threshold, limit: MAX_BULK_ITEMS, items: rows };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Accepts the latest suggestion of every item the preview showed, as `bulk` reviews by this
 * reviewer. `expectedCount` is the count the reviewer confirmed: if the selection changed since,
 * nothing is written and 409 says so; more than MAX_BULK_ITEMS is refused with 400.
 *
 * The work is linear and never holds the server: items are accepted BULK_CHUNK_ITEMS per
 * transaction, yielding to other requests between chunks. Each chunk takes only its items that
 * are still unreviewed with the same suggestion, so a decision made meanwhile is never
 * overwritten; those are reported as skipped.
 */
export async function bulkAccept(
  db: Db,
  actor: Actor,
  filter: QueueFilter,
  threshold: number,
  expectedCount: number,
  now: Date,
  queueOrder: Review['queueOrder'] = null,
): Promise<BulkResult> {
  const codebook: Codebook = getActiveCodebook(db);
  const where = bulkWhere(db, actor, filter, threshold);
  const count = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM items i WHERE ${where}`).n;
  if (count !== expectedCount) {
    throw conflict(`the selection changed: ${count} items match now, you confirmed ${expectedCount}; preview again`, 'bulk_changed', { count });
  }
  if (count > MAX_BULK_ITEMS) {
    throw badRequest(`a bulk accept takes at most ${MAX_BULK_ITEMS} items and this selection has ${count}: raise the threshold or narrow the filter`, 'bulk_too_large', { limit: MAX_BULK_ITEMS, count });
  }
  const targets = db.all<{ id: number; suggestionId: number }>(sql`SELECT i.id, i.latest_suggestion_id AS "suggestionId" FROM items i WHERE ${where} ORDER BY i.id`);
  let accepted = 0;
  for (let at = 0; at < targets.length; at += BULK_CHUNK_ITEMS) {
    if (at > 0) await nextTurn();
    accepted += acceptChunk(db, actor, codebook, targets.slice(at, at + BULK_CHUNK_ITEMS), { threshold, filter, queueOrder, now });
  }
  db.transaction((tx) => audit(tx, { actor: actor.name, action: 'review.bulk-accept', entityType: 'review', details: { count: accepted, skipped: targets.length - accepted, threshold, filter }, at: now }));
  return { accepted, skipped: targets.length - accepted };
}

/** One transaction of a bulk accept: the chunk's items still unreviewed with the suggestion the preview saw. */
function acceptChunk(
  db: Db,
  actor: Actor,
  codebook: Codebook,
  chunk: { id: number; suggestionId: number }[],
  ctx: { threshold: number; filter: QueueFilter; queueOrder: Review['queueOrder']; now: Date },
): number {
  return db.transaction((tx) => {
    const still = new Set(
      tx
        .all<{ id: number }>(
          sql`SELECT i.id FROM items i WHERE i.id IN (${sql.join(chunk.map((t) => sql`${t.id}`), sql`, `)}) AND ${bulkWhere(tx, actor, ctx.filter, ctx.threshold)}`,
        )
        .map((r) => r.id),
    );
    const live = chunk.filter((t) => still.has(t.id));
    if (live.length === 0) return 0;
    const byId = new Map(tx.select().from(suggestions).where(inArray(suggestions.id, live.map((t) => t.suggestionId))).all().map((s) => [s.id, s]));
    let accepted = 0;
    // The chunk's rollups move once, not once per item (about 130 statements an item otherwise).
    recomputeReviewStates(tx, live.map((t) => t.id), (recompute) => {
      for (const t of live) {
        const item = tx.select({ version: items.version, latestSuggestionId: items.latestSuggestionId }).from(items).where(eq(items.id, t.id)).get()!;
        if (item.latestSuggestionId !== t.suggestionId) continue;
        const s = byId.get(t.suggestionId)!;
        const before = itemState(tx, t.id, false);
        const shown = { suggestion: { id: s.id, label: s.label, stance: s.stance, themes: s.themes, confidence: s.confidence, provider: s.provider, model: s.model }, blind: false, bulk: { threshold: ctx.threshold, filter: ctx.filter } };
        const review = tx
          .insert(reviews)
          .values({ itemId: t.id, reviewerId: actor.id, action: 'accept', kind: 'bulk', codebookId: codebook.id, label: s.label, stance: s.stance, themes: s.themes, suggestionId: s.id, shown, basedOnVersion: item.version, queueOrder: ctx.queueOrder, createdAt: ctx.now.toISOString() })
          .returning({ id: reviews.id })
          .get();
        if (s.themes.length > 0) tx.insert(reviewThemes).values([...new Set(s.themes)].map((theme) => ({ reviewId: review.id, theme }))).run();
        recompute(t.id, ctx.now);
        audit(tx, { actor: actor.name, action: 'review.accept', entityType: 'review', entityId: review.id, itemId: t.id, before: auditSnapshot(before), after: auditSnapshot(itemState(tx, t.id, false)), details: { kind: 'bulk', shown }, at: ctx.now });
        accepted += 1;
      }
    });
    return accepted;
  });
}
