import { bigint, boolean, doublePrecision, index, integer, primaryKey, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { ORIGINS, REVIEW_STATUSES, THEME_KINDS } from '../../schema/vocabulary.ts';
import { documents } from './documents.ts';
import { passages } from './passages.ts';
import { sources } from './sources.ts';

/**
 * The unit that is labelled: one row per passage and one per whole document. Suggestions,
 * reviews and tagging-run items point here. Besides identity it keeps the item's current
 * state, maintained by the tagging and review services in the same transaction as the
 * suggestion or review that changes it, so the review queue and the dashboard aggregate
 * in SQL without replaying history.
 */
export const items = pgTable(
  'items',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    level: text('level', { enum: ['passage', 'document'] }).notNull(),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    passageId: integer('passage_id').references(() => passages.id, { onDelete: 'cascade' }),
    /** Denormalised from the document so per-source aggregates need no join. */
    sourceId: integer('source_id').notNull().references(() => sources.id),
    /** Passage order in the document; -1 for the document item. */
    seq: integer('seq').notNull(),
    /** sha256 of the text a model is shown (passage text or document text): the tagging cache key. */
    textHash: text('text_hash').notNull(),
    /** Copy of passages.excluded (always false for documents); excluded items are never counted. */
    excluded: boolean('excluded').notNull().default(false),
    /** Stable uniform [0,1) draw made at creation: the random-sample ordering of the queue. */
    randomKey: doublePrecision('random_key').notNull(),
    /** Unicode code points in the item's text: what a run's token estimate sums without reading texts. */
    chars: integer('chars').notNull().default(0),

    suggestionCount: integer('suggestion_count').notNull().default(0),
    latestSuggestionId: integer('latest_suggestion_id'),
    suggestedLabel: text('suggested_label'),
    suggestedStance: integer('suggested_stance'),
    suggestedConfidence: doublePrecision('suggested_confidence'),
    /** Share of stored suggestions that agree with the latest label (self-consistency / several models). */
    suggestionAgreement: doublePrecision('suggestion_agreement'),

    /**
     * unreviewed: no human decision; reviewed: decided with a label; rejected: the suggestion was
     * rejected with the answer left open (no label); disputed: decisions disagree; adjudicated:
     * settled by an admin. Derived by api/items/state.ts.
     */
    reviewStatus: text('review_status', { enum: REVIEW_STATUSES })
      .notNull()
      .default('unreviewed'),
    /** People with a standing decision (accept/edit/reject), not skips or undone ones; bulk and imported decisions included. */
    reviewCount: integer('review_count').notNull().default(0),
    decisionReviewId: integer('decision_review_id'),
    reviewedLabel: text('reviewed_label'),
    reviewedStance: integer('reviewed_stance'),
    /** Where the final label comes from (api/items/provenance.ts): model, reviewer, bulk, import or adjudication; null when there is none (disputed, rejected). */
    finalOrigin: text('final_origin', { enum: ORIGINS }),
    /**
     * The item's state from independent human decisions alone (api/items/provenance.ts: one person
     * reading one item, an adjudication, or an import marked gold; never a bulk accept): the label,
     * stance and deciding review the `people` basis, agreement, corrected estimates and training read.
     */
    independentLabel: text('independent_label'),
    independentStance: integer('independent_stance'),
    independentReviewId: integer('independent_review_id'),
    /** People with a standing independent decision (what adjudication waits for under overlap). */
    independentCount: integer('independent_count').notNull().default(0),
    /** Bumped on every change to this row: reviews carry the version they saw (stale edits get 409). */
    version: integer('version').notNull().default(0),
    updatedAt: isoTimestamp('updated_at'),
  },
  (t) => [
    uniqueIndex('items_passage_uq').on(t.passageId),
    // The tagging cache: items with the same text (their suggestions share cache keys).
    index('items_text_hash_idx').on(t.textHash),
    index('items_document_idx').on(t.documentId, t.level, t.seq),
    // Per-source scans and the dashboard's drill-down: document order within a source, with the
    // state columns a cell's count filters on, so counting a cell never reads the rows.
    index('items_source_order_idx').on(t.sourceId, t.level, t.excluded, t.documentId, t.seq, t.reviewStatus, t.suggestedLabel, t.reviewedLabel, t.independentLabel),
    index('items_queue_conf_idx').on(t.level, t.reviewStatus, t.suggestedConfidence),
    index('items_queue_random_idx').on(t.level, t.reviewStatus, t.randomKey),
    index('items_suggested_label_idx').on(t.level, t.suggestedLabel),
    // Review queue: counts per status without touching rows, and document order within a status.
    index('items_queue_status_idx').on(t.level, t.excluded, t.reviewStatus),
    index('items_queue_document_idx').on(t.level, t.reviewStatus, t.documentId, t.seq),
    ...enumChecks('items', t),
  ],
);

/**
 * Current theme sets of an item: `suggested` mirrors the latest suggestion, `reviewed` the
 * current human decision (bulk and imported ones included), `independent` the independent
 * human decision. Kept next to `items` for the dashboard's theme aggregates.
 */
export const itemThemes = pgTable(
  'item_themes',
  {
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: THEME_KINDS }).notNull(),
    theme: text('theme').notNull(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.kind, t.theme] }), index('item_themes_theme_idx').on(t.theme, t.kind), ...enumChecks('item_themes', t)]
);

export type Item = typeof items.$inferSelect;
