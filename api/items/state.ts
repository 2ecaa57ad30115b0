import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { items, itemThemes, passages, reviews, suggestions, type Item, type Review } from '../../db/schema/index.ts';
import { addSuggestionProvenance, withItemRollups } from '../dashboard/rollups.ts';

/**
 * Item state: the one place that says what "suggested", "reviewed", "disputed", "final" and
 * "excluded" mean. Everything is derived from append-only history (suggestions, reviews), so
 * an undo is just another review and recomputing is always safe.
 *
 * - A *decision* is a review with action accept, edit, reject or adjudicate that no later
 *   `undo` review withdraws. Skips, exclusion changes and undos are not decisions.
 * - Each reviewer's latest decision counts once. If those decisions carry more than one
 *   distinct label, the item is `disputed` (no reviewed label) until an admin adjudicates;
 *   if they agree it is `reviewed` with that label (stance and themes from the latest of them).
 *   A reject with no label is a decision that the suggestion is wrong with the answer left open.
 * - The latest standing adjudication settles the item (`adjudicated`), whatever came before.
 * - Final origin: `adjudication`, `import` (the deciding review came with a file), `reviewer`,
 *   or `model` when no person has decided and there is a suggestion.
 * - Exclusion (passages only): the latest standing exclude/include review, or else the
 *   segmenter's own verdict.
 *
 * Both writers below also move the item's contribution to the dashboard rollups
 * (api/dashboard/rollups.ts) in the same transaction, so the dashboard never scans items.
 */

const DECISIONS = new Set<Review['action']>(['accept', 'edit', 'reject', 'adjudicate']);

function nowIso(now?: Date): string {
  return (now ?? new Date()).toISOString();
}

/**
 * Records a newly inserted suggestion as the item's latest: suggested label, stance,
 * confidence, themes, and the agreement among the suggestions of the same run (or, without
 * a run, all the item's suggestions) with that label.
 */
export function applySuggestion(tx: DbOrTx, suggestionId: number, now?: Date): void {
  const s = tx.select().from(suggestions).where(eq(suggestions.id, suggestionId)).get();
  if (!s) throw new Error(`suggestion ${suggestionId} not found`);
  addSuggestionProvenance(tx, s.id);
  withItemRollups(tx, s.itemId, () => {
    const peers = tx
      .select({ label: suggestions.label })
      .from(suggestions)
      .where(s.runId === null ? eq(suggestions.itemId, s.itemId) : and(eq(suggestions.itemId, s.itemId), eq(suggestions.runId, s.runId)))
      .all();
    const agreement = peers.length > 0 ? peers.filter((p) => p.label === s.label).length / peers.length : null;
    tx.update(items)
      .set({
        suggestionCount: sql`${items.suggestionCount} + 1`,
        latestSuggestionId: s.id,
        suggestedLabel: s.label,
        suggestedStance: s.stance,
        suggestedConfidence: s.confidence,
        suggestionAgreement: agreement,
        finalOrigin: sql`CASE WHEN ${items.reviewStatus} = 'unreviewed' THEN 'model' ELSE ${items.finalOrigin} END`,
        version: sql`${items.version} + 1`,
        updatedAt: nowIso(now),
      })
      .where(eq(items.id, s.itemId))
      .run();
    tx.delete(itemThemes).where(and(eq(itemThemes.itemId, s.itemId), eq(itemThemes.kind, 'suggested'))).run();
    if (s.themes.length > 0) {
      tx.insert(itemThemes)
        .values([...new Set(s.themes)].map((theme) => ({ itemId: s.itemId, kind: 'suggested' as const, theme })))
        .run();
    }
  });
}

export interface ReviewState {
  reviewStatus: Item['reviewStatus'];
  reviewCount: number;
  decisionReviewId: number | null;
  reviewedLabel: string | null;
  reviewedStance: number | null;
  reviewedThemes: string[];
  finalOrigin: Item['finalOrigin'];
  /** null: no reviewer override, the segmenter's verdict stands. */
  exclusionOverride: { excluded: boolean; reason: string | null } | null;
}

/** Derives an item's review state from its full review history (oldest first). */
export function deriveReviewState(history: Review[], hasSuggestion: boolean): ReviewState {
  const undone = new Set(history.filter((r) => r.action === 'undo' && r.undoesReviewId !== null).map((r) => r.undoesReviewId!));
  const standing = history.filter((r) => r.action !== 'undo' && !undone.has(r.id));

  let exclusionOverride: ReviewState['exclusionOverride'] = null;
  for (const r of standing) {
    if (r.action === 'exclude') exclusionOverride = { excluded: true, reason: r.note ?? 'excluded by reviewer' };
    if (r.action === 'include') exclusionOverride = { excluded: false, reason: null };
  }

  const decisions = standing.filter((r) => DECISIONS.has(r.action));
  const adjudication = decisions.filter((r) => r.action === 'adjudicate').at(-1);
  const latestByReviewer = new Map<number, Review>();
  for (const r of decisions) if (r.action !== 'adjudicate') latestByReviewer.set(r.reviewerId, r);
  const perReviewer = [...latestByReviewer.values()].sort((a, b) => a.id - b.id);

  const base = { reviewCount: perReviewer.length, exclusionOverride };
  const settledBy = (r: Review, status: Item['reviewStatus'], origin: Item['finalOrigin']): ReviewState => ({
    ...base,
    reviewStatus: status,
    decisionReviewId: r.id,
    reviewedLabel: r.label,
    reviewedStance: r.stance,
    reviewedThemes: r.themes ?? [],
    finalOrigin: origin,
  });

  if (adjudication) return settledBy(adjudication, 'adjudicated', 'adjudication');
  if (perReviewer.length === 0) {
    return {
      ...base,
      reviewStatus: 'unreviewed',
      decisionReviewId: null,
      reviewedLabel: null,
      reviewedStance: null,
      reviewedThemes: [],
      finalOrigin: hasSuggestion ? 'model' : null,
    };
  }
  const labels = new Set(perReviewer.map((r) => r.label).filter((l): l is string => l !== null));
  const latest = perReviewer.at(-1)!;
  if (labels.size > 1) {
    return { ...base, reviewStatus: 'disputed', decisionReviewId: null, reviewedLabel: null, reviewedStance: null, reviewedThemes: [], finalOrigin: 'reviewer' };
  }
  // Agreeing (or open) decisions: the latest one that names a label carries the label.
  const carrier = [...perReviewer].reverse().find((r) => r.label !== null) ?? latest;
  return settledBy(carrier, 'reviewed', carrier.kind === 'import' ? 'import' : 'reviewer');
}

/**
 * Recomputes an item's review and exclusion state from its reviews and writes it, bumping
 * the item's version. Call in the transaction that inserts a review. Returns the new state.
 */
export function recomputeReviewState(tx: DbOrTx, itemId: number, now?: Date): ReviewState {
  const item = tx.select().from(items).where(eq(items.id, itemId)).get();
  if (!item) throw new Error(`item ${itemId} not found`);
  return withItemRollups(tx, itemId, () => {
    const history = tx.select().from(reviews).where(eq(reviews.itemId, itemId)).orderBy(asc(reviews.id)).all();
    const state = deriveReviewState(history, item.latestSuggestionId !== null);

    let excluded = item.excluded;
    if (item.passageId !== null) {
      const passage = tx.select().from(passages).where(eq(passages.id, item.passageId)).get()!;
      const next = state.exclusionOverride
        ? { excluded: state.exclusionOverride.excluded, excludedReason: state.exclusionOverride.reason, excludedBy: 'reviewer' as const }
        : { excluded: passage.autoExcluded, excludedReason: passage.autoExcludedReason, excludedBy: passage.autoExcluded ? ('auto' as const) : null };
      tx.update(passages).set(next).where(eq(passages.id, passage.id)).run();
      excluded = next.excluded;
    }

    tx.update(items)
      .set({
        excluded,
        reviewStatus: state.reviewStatus,
        reviewCount: state.reviewCount,
        decisionReviewId: state.decisionReviewId,
        reviewedLabel: state.reviewedLabel,
        reviewedStance: state.reviewedStance,
        finalOrigin: state.finalOrigin,
        version: sql`${items.version} + 1`,
        updatedAt: nowIso(now),
      })
      .where(eq(items.id, itemId))
      .run();
    tx.delete(itemThemes).where(and(eq(itemThemes.itemId, itemId), eq(itemThemes.kind, 'reviewed'))).run();
    const themes = [...new Set(state.reviewedThemes)];
    if (themes.length > 0) tx.insert(itemThemes).values(themes.map((theme) => ({ itemId, kind: 'reviewed' as const, theme }))).run();
    return state;
  });
}
