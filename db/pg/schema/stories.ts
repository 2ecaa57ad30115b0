import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { STORY_ORIGINS } from '../../schema/stories.ts';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { documents } from './documents.ts';
import { jobs } from './jobs.ts';

/**
 * One event as several outlets reported it: documents grouped by title-and-lead similarity
 * within a time window (api/stories/grouping.ts), then reviewed by people. A story a person
 * edited (renamed, merged, split, a document removed or moved) is `edited`: re-grouping keeps
 * it and its documents and may only add new documents to it.
 */
export const stories = pgTable(
  'stories',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    title: text('title').notNull(),
    origin: text('origin', { enum: STORY_ORIGINS }).notNull(),
    /** The person, or `job N` for the grouping job that made it. */
    createdBy: text('created_by').notNull(),
    /** The grouping job that made it or last regrouped it (null for a person's story). */
    jobId: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    edited: boolean('edited').notNull().default(false),
    /** A person gave the title (re-grouping never retitles it then). */
    titleEdited: boolean('title_edited').notNull().default(false),
    editedBy: text('edited_by'),
    editedAt: isoTimestamp('edited_at'),
    /** Maintained with the membership (api/stories/members.ts): documents, distinct sources, first and last published_start. */
    documentCount: integer('document_count').notNull().default(0),
    sourceCount: integer('source_count').notNull().default(0),
    firstPublished: date('first_published', { mode: 'string' }),
    lastPublished: date('last_published', { mode: 'string' }),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
    updatedAt: isoTimestamp('updated_at').notNull().default(sql`now()`),
  },
  (t) => [index('stories_first_published_idx').on(t.firstPublished, t.id), index('stories_edited_idx').on(t.edited), ...enumChecks('stories', t)],
);

/** A document's place in a story: a document belongs to at most one story. */
export const storyDocuments = pgTable(
  'story_documents',
  {
    documentId: integer('document_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    storyId: integer('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    addedBy: text('added_by', { enum: STORY_ORIGINS }).notNull(),
    /** The person, or `job N`. */
    addedByName: text('added_by_name').notNull(),
    /**
     * How the grouping decided: `similarity` (cosine at or above the threshold), `llm` (a
     * borderline pair the provider judged the same event), `syndicated` (a copy of a member),
     * `person`.
     */
    method: text('method', { enum: ['similarity', 'llm', 'syndicated', 'person'] }).notNull(),
    /** Cosine similarity (0..1) of the link that brought the document in; null for a person's or a copy's. */
    similarity: doublePrecision('similarity'),
    /** Why, where it is worth saying: the LLM check's answer or why it fell back to the local decision. */
    note: text('note'),
    addedAt: isoTimestamp('added_at').notNull().default(sql`now()`),
  },
  (t) => [index('story_documents_story_idx').on(t.storyId, t.documentId), ...enumChecks('story_documents', t)],
);

/** A person took this document out of this story: re-grouping never puts it back there. */
export const storyRemovals = pgTable(
  'story_removals',
  {
    storyId: integer('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    removedBy: text('removed_by').notNull(),
    removedAt: isoTimestamp('removed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storyId, t.documentId] }), index('story_removals_document_idx').on(t.documentId)],
);

export type Story = typeof stories.$inferSelect;
export type StoryDocument = typeof storyDocuments.$inferSelect;
