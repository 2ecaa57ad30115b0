import { boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { enumChecks } from '../columns.ts';
import { documents } from './documents.ts';

/**
 * A span of a document's text. Offsets are JavaScript string indices (UTF-16 code units)
 * into `documents.text`, so `doc.text.slice(start, end) === passage.text` always holds.
 */
export const passages = pgTable(
  'passages',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    documentId: integer('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    /** 0-based order of the passage within its document. */
    seq: integer('seq').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    text: text('text').notNull(),
    excluded: boolean('excluded').notNull().default(false),
    /** Why it is excluded: `copyright`, `donation`, `adblock`, `related`, `caption`, `dateline`, `masthead` ... (see api/ingest/boilerplate.ts), or a reviewer's note. */
    excludedReason: text('excluded_reason'),
    /** Who decided the current exclusion state: the segmenter or a reviewer. */
    excludedBy: text('excluded_by', { enum: ['auto', 'reviewer'] }),
    /** The reviewer's standing exclude or include review when `excludedBy` is reviewer: who decided it, when and why. */
    exclusionReviewId: integer('exclusion_review_id'),
    /** The segmenter's own verdict, kept so undoing a reviewer's override restores it. */
    autoExcluded: boolean('auto_excluded').notNull().default(false),
    autoExcludedReason: text('auto_excluded_reason'),
  },
  (t) => [uniqueIndex('passages_document_seq_uq').on(t.documentId, t.seq), ...enumChecks('passages', t)]
);

export type Passage = typeof passages.$inferSelect;
