import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { bound, perConnection } from '../../db/prepared.ts';
import { imports, items, itemThemes, passages, reviews, suggestions, type Item, type Review } from '../../db/schema/index.ts';
import { addSuggestionProvenance, clientOf, withItemRollups, withItemsRollups } from '../dashboard/rollups.ts';
import { isIndependentDecision, reviewOrigin } from './provenance.ts';
import { dialectFor, jsonArrayElementsFromText, jsonArrayValuesText } from '../../db/sqlDialect.ts';

/**
 * Item state: the one place that says what "suggested", "reviewed", "disputed", "final" and
 * "excluded" mean. Everything is derived from append-only history (suggestions, reviews), so
 * an undo is just another review and recomputing is always safe.
 *
 * - A *decision* is a review with action accept, edit, reject or adjudicate that no later
 *   `undo` review withdraws. Skips, exclusion changes and undos are not decisions.
 * - Each reviewer's latest decision counts once. If those decisions carry more than one
 *   distinct label, or one person rejects open the very label another gave, the item is
 *   `disputed` (no reviewed label) until an admin adjudicates; if they agree it is `reviewed`
 *   with that label (stance and themes from the latest of them). A reject with no label is a
 *   decision that the suggestion is wrong with the answer left open: with no labelled decision
 *   beside it the item is `rejected`, which has no label.
 * - The latest standing adjudication settles the item (`adjudicated`), whatever came before.
 * - Final origin (api/items/provenance.ts): the deciding review's origin (`reviewer`, `bulk`,
 *   `import`, `adjudication`), or `model` when no person has decided and there is a suggestion;
 *   none when disputed or rejected.
 * - The same rules over the independent human decisions alone (no bulk accepts, no imports
 *   unless gold) give the item's independent label, which the `people` basis counts.
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
  applySuggestions(tx, [suggestionId], now);
}

/**
 * `applySuggestion` for a batch of newly inserted suggestions (a tagging run's flush), in a
 * few set-wise statements; the result is the same as applying them one by one in id order:
 * each item's count grows by its new suggestions and its latest one (highest id) is the
 * item's suggestion, with the agreement of its run's suggestions.
 */
export function applySuggestions(tx: DbOrTx, suggestionIds: readonly number[], now?: Date): void {
  if (suggestionIds.length === 0) return;
  const c = clientOf(tx);
  const ids = JSON.stringify(suggestionIds);
  const d = dialectFor(c);
  const ofBatch = (param: string) => jsonArrayValuesText(d, param, 'integer');
  const found = c.prepare(`SELECT item_id FROM suggestions WHERE id IN (${ofBatch('?')})`).pluck().all(ids) as number[];
  if (found.length !== new Set(suggestionIds).size) throw new Error(`suggestions ${suggestionIds.join(', ')}: only ${found.length} found`);
  addSuggestionProvenance(tx, suggestionIds);
  const itemIds = [...new Set(found)];
  withItemsRollups(tx, itemIds, () => {
    c.prepare(
      `WITH batch AS (SELECT item_id, count(*) AS k, max(id) AS latest FROM suggestions WHERE id IN (${ofBatch('?')}) GROUP BY item_id),
            latest AS (SELECT b.item_id, b.k, s.id, s.label, s.stance, s.confidence, s.run_id FROM batch b JOIN suggestions s ON s.id = b.latest)
       UPDATE items SET
         suggestion_count = suggestion_count + l.k,
         latest_suggestion_id = l.id,
         suggested_label = l.label,
         suggested_stance = l.stance,
         suggested_confidence = l.confidence,
         suggestion_agreement = (SELECT avg(CAST(CASE WHEN p.label = l.label THEN 1 WHEN p.label <> l.label THEN 0 END AS DOUBLE PRECISION)) FROM suggestions p WHERE p.item_id = l.item_id AND (l.run_id IS NULL OR p.run_id = l.run_id)),
         final_origin = CASE WHEN review_status = 'unreviewed' THEN 'model' ELSE final_origin END,
         version = version + l.k,
         updated_at = ?
       FROM latest l WHERE items.id = l.item_id`,
    ).run(ids, nowIso(now));
    const touched = JSON.stringify(itemIds);
    c.prepare(`DELETE FROM item_themes WHERE kind = 'suggested' AND item_id IN (${ofBatch('?')})`).run(touched);
    c.prepare(
      `INSERT INTO item_themes (item_id, kind, theme)
       SELECT s.id_item, 'suggested', t.value FROM (SELECT items.id AS id_item, suggestions.themes AS themes FROM items JOIN suggestions ON suggestions.id = items.latest_suggestion_id
                                                    WHERE items.id IN (${ofBatch('?')})) s, ${jsonArrayElementsFromText(d, 's.themes', 't')}
       WHERE TRUE ON CONFLICT DO NOTHING`,
    ).run(touched);
  });
}

/** What a set of decisions settles: a status, the review carrying the label, and how many people decided. */
interface Settled {
  status: Item['reviewStatus'];
  /** The review whose label, stance and themes stand (null: unreviewed or disputed). */
  carrier: Review | null;
  /** People with a standing decision among the set (an adjudication is not counted). */
  people: number;
}

/** The label an open reject says is wrong: the one on screen when rejecting. */
function rejectedLabel(r: Review): string | null {
  const shown = r.shown as { suggestion?: { label?: unknown } | null } | null;
  return typeof shown?.suggestion?.label === 'string' ? shown.suggestion.label : null;
}

/**
 * Settles a set of standing decisions (oldest first): the latest adjudication settles it; else
 * each person's latest decision counts once. Decisions naming more than one label, or an open
 * reject of the very label another person gave, dispute it; one label is `reviewed` (carried by
 * the latest decision naming it); open rejects alone are `rejected`.
 */
function settle(decisions: Review[]): Settled {
  const adjudication = decisions.filter((r) => r.action === 'adjudicate').at(-1);
  const latestByReviewer = new Map<number, Review>();
  for (const r of decisions) if (r.action !== 'adjudicate') latestByReviewer.set(r.reviewerId, r);
  const perReviewer = [...latestByReviewer.values()].sort((a, b) => a.id - b.id);
  const people = perReviewer.length;
  if (adjudication) return { status: 'adjudicated', carrier: adjudication, people };
  if (people === 0) return { status: 'unreviewed', carrier: null, people };
  const labels = new Set(perReviewer.map((r) => r.label).filter((l): l is string => l !== null));
  const openRejects = perReviewer.filter((r) => r.label === null);
  if (labels.size > 1 || openRejects.some((r) => { const l = rejectedLabel(r); return l !== null && labels.has(l); })) {
    return { status: 'disputed', carrier: null, people };
  }
  const carrier = [...perReviewer].reverse().find((r) => r.label !== null);
  return carrier ? { status: 'reviewed', carrier, people } : { status: 'rejected', carrier: perReviewer.at(-1)!, people };
}

export interface ReviewState {
  reviewStatus: Item['reviewStatus'];
  reviewCount: number;
  decisionReviewId: number | null;
  reviewedLabel: string | null;
  reviewedStance: number | null;
  reviewedThemes: string[];
  finalOrigin: Item['finalOrigin'];
  /** The same, from independent human decisions alone (api/items/provenance.ts). */
  independent: { label: string | null; stance: number | null; themes: string[]; reviewId: number | null; count: number };
  /** null: no reviewer override, the segmenter's verdict stands. */
  exclusionOverride: { excluded: boolean; reason: string | null; reviewId: number } | null;
}

const labelled = (s: Settled) => (s.status === 'reviewed' || s.status === 'adjudicated' ? s.carrier : null);

/**
 * Derives an item's review state from its full review history (oldest first). `goldImports`
 * are the imports marked gold: their labels count as independent decisions.
 */
export function deriveReviewState(history: Review[], hasSuggestion: boolean, goldImports: ReadonlySet<number> = new Set()): ReviewState {
  const undone = new Set(history.filter((r) => r.action === 'undo' && r.undoesReviewId !== null).map((r) => r.undoesReviewId!));
  const standing = history.filter((r) => r.action !== 'undo' && !undone.has(r.id));

  let exclusionOverride: ReviewState['exclusionOverride'] = null;
  for (const r of standing) {
    if (r.action === 'exclude') exclusionOverride = { excluded: true, reason: r.note ?? 'excluded by reviewer', reviewId: r.id };
    if (r.action === 'include') exclusionOverride = { excluded: false, reason: null, reviewId: r.id };
  }

  const decisions = standing.filter((r) => DECISIONS.has(r.action));
  const all = settle(decisions);
  const independent = settle(decisions.filter((r) => isIndependentDecision(r, r.importId !== null && goldImports.has(r.importId))));
  const carrier = labelled(all);
  const independentCarrier = labelled(independent);
  const finalOrigin: Item['finalOrigin'] = carrier ? reviewOrigin(carrier) : all.status === 'unreviewed' && hasSuggestion ? 'model' : null;
  return {
    reviewStatus: all.status,
    reviewCount: all.people,
    decisionReviewId: all.carrier?.id ?? null,
    reviewedLabel: carrier?.label ?? null,
    reviewedStance: carrier?.stance ?? null,
    reviewedThemes: carrier?.themes ?? [],
    finalOrigin,
    independent: {
      label: independentCarrier?.label ?? null,
      stance: independentCarrier?.stance ?? null,
      themes: independentCarrier?.themes ?? [],
      reviewId: independentCarrier?.id ?? null,
      count: independent.people,
    },
    exclusionOverride,
  };
}

const placeholder = sql.placeholder;

const recomputeQueries = perConnection((db) => ({
  item: db.select().from(items).where(eq(items.id, placeholder('itemId'))).prepare(),
  history: db.select().from(reviews).where(eq(reviews.itemId, placeholder('itemId'))).orderBy(asc(reviews.id)).prepare(),
  passage: db.select().from(passages).where(eq(passages.id, placeholder('passageId'))).prepare(),
  updatePassage: db
    .update(passages)
    .set({ excluded: bound('excluded'), excludedReason: bound('excludedReason'), excludedBy: bound('excludedBy'), exclusionReviewId: bound('exclusionReviewId') })
    .where(eq(passages.id, placeholder('passageId')))
    .prepare(),
  updateItem: db
    .update(items)
    .set({
      excluded: bound('excluded'),
      reviewStatus: bound('reviewStatus'),
      reviewCount: bound('reviewCount'),
      decisionReviewId: bound('decisionReviewId'),
      reviewedLabel: bound('reviewedLabel'),
      reviewedStance: bound('reviewedStance'),
      finalOrigin: bound('finalOrigin'),
      independentLabel: bound('independentLabel'),
      independentStance: bound('independentStance'),
      independentReviewId: bound('independentReviewId'),
      independentCount: bound('independentCount'),
      version: sql`${items.version} + 1`,
      updatedAt: bound('updatedAt'),
    })
    .where(eq(items.id, placeholder('itemId')))
    .prepare(),
  clearThemes: db.delete(itemThemes).where(and(eq(itemThemes.itemId, placeholder('itemId')), inArray(itemThemes.kind, ['reviewed', 'independent']))).prepare(),
}));

/**
 * Recomputes an item's review and exclusion state from its reviews and writes it, bumping
 * the item's version. Call in the transaction that inserts a review. Returns the new state.
 */
export function recomputeReviewState(tx: DbOrTx, itemId: number, now?: Date): ReviewState {
  return withItemRollups(tx, itemId, () => writeReviewState(tx, itemId, now));
}

/**
 * `recomputeReviewState` for many items in one transaction (a bulk accept's chunk): `change`
 * inserts the items' reviews and calls `recompute` for each item of `itemIds` once its reviews
 * are in. The rollups move once for the whole set (each rollup's contribution of the set read
 * before and after in one GROUP BY, every changed rollup row written once) instead of once per
 * item; the rows come out the same, as the sums are additive.
 */
export function recomputeReviewStates<T>(tx: DbOrTx, itemIds: readonly number[], change: (recompute: (itemId: number, now?: Date) => ReviewState) => T): T {
  const inSet = new Set(itemIds);
  return withItemsRollups(tx, itemIds, () =>
    change((itemId, now) => {
      if (!inSet.has(itemId)) throw new Error(`item ${itemId} is not among the items whose rollups this batch moves`);
      return writeReviewState(tx, itemId, now);
    }),
  );
}

/** Writes an item's review and exclusion state from its reviews, without moving the rollups (the callers above do). */
function writeReviewState(tx: DbOrTx, itemId: number, now?: Date): ReviewState {
  const q = recomputeQueries(tx);
  const item = q.item.get({ itemId });
  if (!item) throw new Error(`item ${itemId} not found`);
  const history = q.history.all({ itemId });
  const importIds = [...new Set(history.map((r) => r.importId).filter((id): id is number => id !== null))];
  const gold = new Set(
    importIds.length === 0 ? [] : tx.select({ id: imports.id }).from(imports).where(and(inArray(imports.id, importIds), eq(imports.gold, true))).all().map((r) => r.id),
  );
  const state = deriveReviewState(history, item.latestSuggestionId !== null, gold);

  let excluded = item.excluded;
  if (item.passageId !== null) {
    const passage = q.passage.get({ passageId: item.passageId })!;
    const next = state.exclusionOverride
      ? { excluded: state.exclusionOverride.excluded, excludedReason: state.exclusionOverride.reason, excludedBy: 'reviewer' as const, exclusionReviewId: state.exclusionOverride.reviewId }
      : { excluded: passage.autoExcluded, excludedReason: passage.autoExcludedReason, excludedBy: passage.autoExcluded ? ('auto' as const) : null, exclusionReviewId: null };
    q.updatePassage.run({ ...next, excluded: next.excluded ? 1 : 0, passageId: passage.id });
    excluded = next.excluded;
  }

  q.updateItem.run({
    itemId,
    excluded: excluded ? 1 : 0,
    reviewStatus: state.reviewStatus,
    reviewCount: state.reviewCount,
    decisionReviewId: state.decisionReviewId,
    reviewedLabel: state.reviewedLabel,
    reviewedStance: state.reviewedStance,
    finalOrigin: state.finalOrigin,
    independentLabel: state.independent.label,
    independentStance: state.independent.stance,
    independentReviewId: state.independent.reviewId,
    independentCount: state.independent.count,
    updatedAt: nowIso(now),
  });
  q.clearThemes.run({ itemId });
  const themeRows = [
    ...[...new Set(state.reviewedThemes)].map((theme) => ({ itemId, kind: 'reviewed' as const, theme })),
    ...[...new Set(state.independent.themes)].map((theme) => ({ itemId, kind: 'independent' as const, theme })),
  ];
  if (themeRows.length > 0) tx.insert(itemThemes).values(themeRows).run();
  return state;
}
