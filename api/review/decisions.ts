import { and, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { bound, jsonText, perConnection } from '../../db/prepared.ts';
import { items, reviews, reviewThemes, suggestions, type Item, type Review } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { requireAdmin, type Actor } from '../auth/service.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { recomputeReviewState } from '../items/state.ts';
import { itemState, ItemStateSchema, withOthersHidden, type ItemState } from './item.ts';
import { getProtocol, isIndependent } from './protocol.ts';
import { QUEUE_ORDERS } from './queue-params.ts';
import { requiredDecisions, visibility } from './visibility.ts';

/** A reviewer's decision on one item, as the item view sends it. */
export const DecisionSchema = z.object({
  action: z.enum(['accept', 'edit', 'reject', 'skip', 'exclude', 'include', 'adjudicate']),
  /** edit, adjudicate: the final label; reject: the right answer, or absent to leave it open. */
  label: z.string().min(1).nullish(),
  stance: z.number().int().nullish(),
  themes: z.array(z.string().min(1)).max(50).nullish(),
  note: z.string().max(2000).nullish(),
  /** items.version the reviewer's view showed. */
  basedOnVersion: z.number().int().min(0),
  /** The suggestion on screen (required to accept, absent in blind mode). */
  suggestionId: z.number().int().positive().nullish(),
  queueOrder: z.enum(QUEUE_ORDERS).nullish(),
  /** ms the item was on screen. */
  timeSpentMs: z.number().int().min(0).max(86_400_000).nullish(),
  /**
   * The client's key for this decision (any string it will send again on a retry). A second
   * request with a key this reviewer already used stores nothing and answers with the first
   * review; the same key for a different decision is refused with 409.
   */
  idempotencyKey: z.string().min(1).max(200).nullish(),
});
export type Decision = z.infer<typeof DecisionSchema>;

/** A saved decision and the item's state after it. */
export const DecisionResultSchema = z
  .object({
    reviewId: z.number().int(),
    item: ItemStateSchema,
    /** True when the idempotency key had been used: nothing new was stored. */
    replayed: z.boolean().optional(),
    /** True when the decision repeats this person's standing one unchanged: nothing new was stored (`reviewId` is the standing review). */
    unchanged: z.boolean().optional(),
  })
  .meta({ id: 'DecisionResult' });
export type DecisionResult = z.infer<typeof DecisionResultSchema>;

/** An undo, the review it withdrew, and the item's state after it. */
export const UndoResultSchema = DecisionResultSchema.extend({ undoneReviewId: z.number().int() }).meta({ id: 'UndoResult' });
export type UndoResult = z.infer<typeof UndoResultSchema>;

const DECISION_ACTIONS = new Set<Review['action']>(['accept', 'edit', 'reject', 'adjudicate']);

type Codebook = ReturnType<typeof getActiveCodebook>;

function validateAgainstCodebook(def: CodebookDefinition, d: { label?: string | null; stance?: number | null; themes?: string[] | null }): void {
  if (d.label != null && !def.labels.some((l) => l.id === d.label)) {
    throw badRequest(`label "${d.label}" is not in the codebook (${def.labels.map((l) => l.id).join(', ')})`, 'unknown_label');
  }
  if (d.stance != null && (d.stance < def.stance.min || d.stance > def.stance.max)) {
    throw badRequest(`stance ${d.stance} is outside the codebook's scale ${def.stance.min}..${def.stance.max}`, 'invalid_stance');
  }
  const unknown = (d.themes ?? []).filter((t) => !def.themes.some((th) => th.id === t));
  if (unknown.length > 0) throw badRequest(`unknown theme${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, 'unknown_theme');
}

/** What changed in an item's visible state, for the audit log. */
export function auditSnapshot(i: ItemState) {
  return { reviewStatus: i.reviewStatus, reviewedLabel: i.reviewedLabel, reviewedStance: i.reviewedStance, reviewedThemes: i.reviewedThemes, excluded: i.excluded, version: i.version };
}

/** Whether a decision repeats a standing one: the same label (or the same open reject), stance and themes. */
function sameDecision(standing: Review, d: { action: Review['action']; label: string | null; stance: number | null; themes: string[] | null }): boolean {
  const themes = (t: string[] | null) => [...new Set(t ?? [])].sort().join('|');
  const open = (r: { action: string; label: string | null }) => r.action === 'reject' && r.label === null;
  return open(standing) === open(d) && standing.label === d.label && standing.stance === d.stance && themes(standing.themes) === themes(d.themes);
}

/** The label a review stands for in a conflict check (exclusion changes compare by direction). */
const stanceOf = (r: { action: string; label: string | null }) => (r.action === 'exclude' || r.action === 'include' ? `#${r.action}` : r.label);

/**
 * Refuses a decision made on a stale view when it collides with what happened since: a new
 * suggestion arrived (the reviewer accepted something no longer current), or another person's
 * decision since the view says something different (in single-review mode; with independent
 * reviews both are kept and a disagreement goes to adjudication). Agreeing or unrelated
 * concurrent decisions are all kept.
 */
function checkStale(tx: Tx, item: Item, actor: Actor, d: Decision, independent: boolean): void {
  if (d.basedOnVersion === item.version) return;
  if (d.basedOnVersion > item.version) throw badRequest(`basedOnVersion ${d.basedOnVersion} is newer than the item's version ${item.version}`, 'invalid_version');
  const current = () => itemState(tx, item.id, false);
  if (d.suggestionId != null && item.latestSuggestionId !== d.suggestionId) {
    throw conflict(`item ${item.id} has a newer suggestion than the one you saw; reload it and decide again`, 'stale_suggestion', { current: current() });
  }
  if (d.action === 'skip') return;
  const since = tx
    .select()
    .from(reviews)
    .where(and(eq(reviews.itemId, item.id), sql`${reviews.basedOnVersion} >= ${d.basedOnVersion}`))
    .all();
  const undone = new Set(since.filter((r) => r.action === 'undo').map((r) => r.undoesReviewId));
  const acceptedLabel = d.action === 'accept' && d.suggestionId != null ? (tx.select({ label: suggestions.label }).from(suggestions).where(eq(suggestions.id, d.suggestionId)).get()?.label ?? null) : null;
  const mine = stanceOf({ action: d.action, label: d.action === 'accept' ? acceptedLabel : (d.label ?? null) });
  const colliding = since.filter(
    (r) =>
      r.action !== 'undo' &&
      r.action !== 'skip' &&
      !undone.has(r.id) &&
      (r.reviewerId === actor.id || !independent || r.action === 'adjudicate') &&
      (r.action === 'exclude' || r.action === 'include') === (d.action === 'exclude' || d.action === 'include') &&
      stanceOf(r) !== mine,
  );
  if (colliding.length > 0) {
    const state = current();
    const what = state.excluded ? 'excluded' : state.reviewedLabel ? `${state.reviewStatus} as ${state.reviewedLabel}` : state.reviewStatus;
    throw conflict(`item ${item.id} changed since you opened it (now ${what}); your decision was not saved — reload and decide again`, 'stale_view', {
      current: state,
      conflictingReviewIds: colliding.map((r) => r.id),
    });
  }
}

const decisionQueries = perConnection((db) => ({
  item: db.select().from(items).where(eq(items.id, sql.placeholder('itemId'))).prepare(),
  byIdempotencyKey: db.select().from(reviews).where(and(eq(reviews.reviewerId, sql.placeholder('reviewerId')), eq(reviews.idempotencyKey, sql.placeholder('key')))).prepare(),
  suggestion: db.select().from(suggestions).where(eq(suggestions.id, sql.placeholder('suggestionId'))).prepare(),
  insertReview: db
    .insert(reviews)
    .values({
      kind: 'manual',
      itemId: sql.placeholder('itemId'),
      reviewerId: sql.placeholder('reviewerId'),
      action: sql.placeholder('action'),
      codebookId: sql.placeholder('codebookId'),
      label: sql.placeholder('label'),
      stance: sql.placeholder('stance'),
      themes: bound('themes'),
      note: sql.placeholder('note'),
      suggestionId: sql.placeholder('suggestionId'),
      shown: bound('shown'),
      basedOnVersion: sql.placeholder('basedOnVersion'),
      blind: bound('blind'),
      queueOrder: sql.placeholder('queueOrder'),
      timeSpentMs: sql.placeholder('timeSpentMs'),
      idempotencyKey: sql.placeholder('idempotencyKey'),
      createdAt: sql.placeholder('createdAt'),
    })
    .returning()
    .prepare(),
}));

/**
 * Records one decision as a new review, recomputes the item's state and audits it, all in
 * one transaction. A decision on a stale view that collides with a newer one gets 409 with
 * the current state.
 */
export function decide(db: Db, actor: Actor, itemId: number, d: Decision, now: Date): DecisionResult {
  const codebook = getActiveCodebook(db);
  const def = codebook.definition;
  validateAgainstCodebook(def, d);
  if (d.action === 'adjudicate') requireAdmin(actor);
  if ((d.action === 'edit' || d.action === 'adjudicate') && d.label == null) throw badRequest(`${d.action} needs a label`, 'label_required');
  if (d.action === 'exclude' && !d.note?.trim()) {
    throw badRequest('exclude needs a reason in note (boilerplate, caption, navigation, donation appeal ...): it is exported with who excluded the passage and when', 'reason_required');
  }

  return db.transaction((tx) => {
    const q = decisionQueries(tx);
    const item = q.item.get({ itemId });
    if (!item) throw notFound(`item ${itemId} not found`);
    const protocol = getProtocol(tx);
    if (d.idempotencyKey != null) {
      const earlier = q.byIdempotencyKey.get({ reviewerId: actor.id, key: d.idempotencyKey });
      if (earlier) {
        if (earlier.itemId !== itemId || earlier.action !== d.action) {
          throw conflict(`idempotency key "${d.idempotencyKey}" was already used for review ${earlier.id} (${earlier.action} on item ${earlier.itemId}); send a new key for a new decision`, 'idempotency_conflict');
        }
        return { reviewId: earlier.id, item: itemState(tx, itemId, visibility(tx, protocol, item, actor).hideOthers), replayed: true };
      }
    }
    // Adjudication is its own step, seeing everything, once the item has the independent
    // decisions it needs; coding follows visibility(): blind to the model and to other coders until decided.
    const mode = d.action === 'adjudicate' ? 'adjudicate' : 'code';
    const seen = visibility(tx, protocol, item, actor, mode);
    const blind = seen.blind;
    if (mode === 'adjudicate') {
      const required = requiredDecisions(protocol, item.randomKey);
      if (item.independentCount < required) {
        throw conflict(`item ${item.id} has ${item.independentCount} of the ${required} independent decision${required > 1 ? 's' : ''} it needs; adjudication waits for them`, 'adjudication_not_ready');
      }
    }
    if ((d.action === 'exclude' || d.action === 'include') && item.level !== 'passage') {
      throw badRequest('only passages can be excluded; a document is excluded by excluding its passages', 'not_a_passage');
    }
    if (blind && d.suggestionId != null) throw badRequest('blind mode: a decision cannot refer to a suggestion', 'blind');
    if (d.action === 'accept' && blind) throw badRequest('blind mode: there is no suggestion to accept; give the label with edit', 'blind');
    const independent = isIndependent(protocol, item.randomKey);
    checkStale(tx, item, actor, d, independent);

    const shownSuggestion = d.suggestionId == null ? null : (q.suggestion.get({ suggestionId: d.suggestionId }) ?? null);
    if (d.suggestionId != null && (!shownSuggestion || shownSuggestion.itemId !== itemId)) {
      throw badRequest(`suggestion ${d.suggestionId} does not belong to item ${itemId}`, 'invalid_suggestion');
    }
    let label = d.label ?? null;
    let stance = d.stance ?? null;
    let themes = d.themes ?? null;
    if (d.action === 'accept') {
      if (!shownSuggestion) throw badRequest('accept needs the suggestion that was shown (suggestionId)', 'suggestion_required');
      label = shownSuggestion.label;
      stance = shownSuggestion.stance;
      themes = shownSuggestion.themes;
    }
    if (d.action === 'edit' || d.action === 'adjudicate' || (d.action === 'reject' && label !== null)) themes = themes ?? [];
    const ownAction = d.action === 'accept' || d.action === 'edit' || d.action === 'reject';
    // In adjudicate mode `seen` looked up the same standing decision: nothing was written since.
    const mine = seen.mine;
    if (ownAction && mine && sameDecision(mine, { action: d.action, label, stance, themes })) {
      return { reviewId: mine.id, item: itemState(tx, itemId, visibility(tx, protocol, item, actor, 'code', mine).hideOthers), unchanged: true };
    }
    const before = itemState(tx, itemId, false);
    const shown = {
      suggestion: shownSuggestion
        ? { id: shownSuggestion.id, label: shownSuggestion.label, stance: shownSuggestion.stance, themes: shownSuggestion.themes, confidence: shownSuggestion.confidence, provider: shownSuggestion.provider, model: shownSuggestion.model }
        : null,
      blind,
      othersDecisionsShown: !seen.hideOthers,
      mode,
      version: d.basedOnVersion,
    };
    const review = q.insertReview.get({
      itemId,
      reviewerId: actor.id,
      action: d.action,
      codebookId: codebook.id,
      label: d.action === 'skip' || d.action === 'exclude' || d.action === 'include' ? null : label,
      stance: d.action === 'skip' || d.action === 'exclude' || d.action === 'include' ? null : stance,
      themes: jsonText(DECISION_ACTIONS.has(d.action) ? themes : null),
      note: d.note ?? null,
      suggestionId: shownSuggestion?.id ?? null,
      shown: jsonText(shown),
      basedOnVersion: d.basedOnVersion,
      blind: blind ? 1 : 0,
      queueOrder: d.queueOrder ?? null,
      timeSpentMs: d.timeSpentMs ?? null,
      idempotencyKey: d.idempotencyKey ?? null,
      createdAt: now.toISOString(),
    })!;
    if (review.themes && review.themes.length > 0) tx.insert(reviewThemes).values([...new Set(review.themes)].map((theme) => ({ reviewId: review.id, theme }))).run();
    recomputeReviewState(tx, itemId, now);
    const after = itemState(tx, itemId, false);
    audit(tx, {
      actor: actor.name,
      action: `review.${d.action}`,
      entityType: 'review',
      entityId: review.id,
      itemId,
      before: auditSnapshot(before),
      after: auditSnapshot(after),
      details: { label: review.label, stance: review.stance, themes: review.themes, note: review.note, shown, queueOrder: review.queueOrder, timeSpentMs: review.timeSpentMs },
      at: now,
    });
    // The decision's author now has a standing decision when it was their own accept, edit or
    // reject; any other action left their standing one (or none) as it was.
    const decided = ownAction || mine !== null;
    const hideOthers = isIndependent(protocol, item.randomKey) && !decided;
    return { reviewId: review.id, item: hideOthers ? withOthersHidden(after) : after };
  });
}

/**
 * Withdraws a review by recording an `undo` review (history stays append-only). Without an id,
 * undoes the reviewer's own latest standing review. Only the author or an admin may undo.
 */
export function undoReview(db: Db, actor: Actor, reviewId: number | undefined, now: Date): UndoResult {
  return db.transaction((tx) => {
    const undoes = alias(reviews, 'undoes');
    const target =
      reviewId === undefined
        ? tx
            .select({ review: reviews })
            .from(reviews)
            .leftJoin(undoes, eq(undoes.undoesReviewId, reviews.id))
            .where(and(eq(reviews.reviewerId, actor.id), notInArray(reviews.action, ['undo']), isNull(undoes.id)))
            .orderBy(desc(reviews.id))
            .get()?.review
        : tx.select().from(reviews).where(eq(reviews.id, reviewId)).get();
    if (!target) throw notFound(reviewId === undefined ? `${actor.name} has no review left to undo` : `review ${reviewId} not found`);
    if (target.action === 'undo') throw badRequest(`review ${target.id} is itself an undo; record the decision again instead`, 'cannot_undo_undo');
    if (target.reviewerId !== actor.id && actor.role !== 'admin') throw forbidden(`review ${target.id} is someone else's; only its author or an admin can undo it`);
    if (tx.select({ id: reviews.id }).from(reviews).where(eq(reviews.undoesReviewId, target.id)).get()) {
      throw conflict(`review ${target.id} is already undone`, 'already_undone');
    }
    const item = tx.select().from(items).where(eq(items.id, target.itemId)).get()!;
    const before = itemState(tx, item.id, false);
    const row = tx
      .insert(reviews)
      .values({ itemId: item.id, reviewerId: actor.id, action: 'undo', kind: 'manual', undoesReviewId: target.id, basedOnVersion: item.version, createdAt: now.toISOString() })
      .returning({ id: reviews.id })
      .get();
    recomputeReviewState(tx, item.id, now);
    const after = itemState(tx, item.id, false);
    audit(tx, {
      actor: actor.name,
      action: 'review.undo',
      entityType: 'review',
      entityId: row.id,
      itemId: item.id,
      before: auditSnapshot(before),
      after: auditSnapshot(after),
      details: { undoes: { id: target.id, action: target.action, label: target.label, kind: target.kind } },
      at: now,
    });
    return { reviewId: row.id, undoneReviewId: target.id, item: itemState(tx, item.id, visibility(tx, getProtocol(tx), item, actor).hideOthers) };
  });
}

/** Adds a note to an item's history without deciding anything. */
export function addNote(db: Db, actor: Actor, itemId: number, note: string, now: Date): void {
  db.transaction((tx) => {
    if (!tx.select({ id: items.id }).from(items).where(eq(items.id, itemId)).get()) throw notFound(`item ${itemId} not found`);
    audit(tx, { actor: actor.name, action: 'item.note', entityType: 'item', entityId: itemId, itemId, details: { note }, at: now });
  });
}
