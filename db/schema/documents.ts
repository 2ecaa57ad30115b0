import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { imports } from './imports.ts';
import { sources } from './sources.ts';

/** One article. `text` is stored exactly as given after line endings are normalised to \n. */
export const documents = sqliteTable(
  'documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: integer('source_id').notNull().references(() => sources.id),
    importId: integer('import_id').references(() => imports.id),
    title: text('title').notNull(),
    author: text('author'),
    /** As given: `2024-10-15`, `2022-07` or `2016`. */
    published: text('published'),
    publishedPrecision: text('published_precision', { enum: ['day', 'month', 'year'] }),
    /** First day the date can mean (`2022-07` → `2022-07-01`), for range filters and ordering. */
    publishedStart: text('published_start'),
    url: text('url'),
    language: text('language'),
    notes: text('notes'),
    /** Original file name or row reference, for tracing a document back to its input. */
    origin: text('origin'),
    text: text('text').notNull(),
    /** sha256 of `text`, hex. */
    contentHash: text('content_hash').notNull(),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    uniqueIndex('documents_source_hash_uq').on(t.sourceId, t.contentHash),
    index('documents_published_idx').on(t.publishedStart),
    index('documents_import_idx').on(t.importId),
  ],
);

export type Document = typeof documents.$inferSelect;
