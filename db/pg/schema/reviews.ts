import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, primaryKey, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { codebooks } from './codebooks.ts';
import { imports } from './imports.ts';
import { items } from './items.ts';
import { suggestions } from './suggestions.ts';
import { users } from './users.ts';

/**
 * One person's decision on an item. Append-only: a change (including an undo) is a new row.
 * `action`: accept (the suggestion as shown), edit (accepted with changes), reject (wrong;
 * label may be given or left open), skip, exclude / include (exclusion override),
 * adjudicate (an admin settles a disagreement), undo (withdraws `undoesReviewId`).
 */
export const reviews = pgTable(
  'reviews',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    reviewerId: integer('reviewer_id').notNull().references(() => users.id),
    action: text('action', {
      enum: ['accept', 'edit', 'reject', 'skip', 'exclude', 'include', 'adjudicate', 'undo'],
    }).notNull(),
    /** manual: one person, one item; bulk: a bulk accept; import: a label that came with a file. */
    kind: text('kind', { enum: ['manual', 'bulk', 'import'] }).notNull().default('manual'),
    codebookId: integer('codebook_id').references(() => codebooks.id),
    label: text('label'),
    stance: integer('stance'),
    /** Also in review_themes. */
    themes: jsonb('themes').$type<string[]>(),
    note: text('note'),
    /** The suggestion on screen when deciding (null in blind mode or for imports). */
    suggestionId: integer('suggestion_id').references(() => suggestions.id, { onDelete: 'set null' }),
    /** Snapshot of what the reviewer saw: suggestion fields, other reviews shown, blind flag. */
    shown: jsonb('shown'),
    /** items.version the reviewer's view was based on. */
    basedOnVersion: integer('based_on_version'),
    blind: boolean('blind').notNull().default(false),
    /**
     * The queue ordering the item was served under (`confidence`, `document`, `random`,
     * `disputed`), null outside the queue. Reviews made under `random` form the simple random
     * sample the dashboard's corrected estimates rest on.
     */
    queueOrder: text('queue_order', { enum: ['confidence', 'document', 'random', 'disputed'] }),
    undoesReviewId: integer('undoes_review_id'),
    importId: integer('import_id').references(() => imports.id),
    /** ms the item was on screen before the decision. */
    timeSpentMs: integer('time_spent_ms'),
    /** The client's key for this decision: a replay with the same key returns this review instead of storing another. */
    idempotencyKey: text('idempotency_key'),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    index('reviews_item_idx').on(t.itemId, t.createdAt),
    index('reviews_reviewer_idx').on(t.reviewerId, t.createdAt),
    // A coder's own decisions on an item (every item view and decision asks).
    index('reviews_item_reviewer_idx').on(t.itemId, t.reviewerId),
    // "Not undone": every standing-decision query asks whether a later review undoes this one.
    index('reviews_undoes_idx').on(t.undoesReviewId).where(sql`${t.undoesReviewId} IS NOT NULL`),
    uniqueIndex('reviews_idempotency_idx').on(t.reviewerId, t.idempotencyKey).where(sql`${t.idempotencyKey} IS NOT NULL`),
    ...enumChecks('reviews', t),
  ],
);

export const reviewThemes = pgTable(
  'review_themes',
  {
    reviewId: integer('review_id').notNull().references(() => reviews.id, { onDelete: 'cascade' }),
    theme: text('theme').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.theme] })],
);

export type Review = typeof reviews.$inferSelect;
