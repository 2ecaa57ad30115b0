import { sql } from 'drizzle-orm';
import { bigint, date, doublePrecision, index, integer, jsonb, primaryKey, pgTable, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { imports } from './imports.ts';
import { sources } from './sources.ts';

/** One article. `text` is stored exactly as given after line endings are normalised to \n (and NUL characters removed). */
export const documents = pgTable(
  'documents',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    sourceId: integer('source_id').notNull().references(() => sources.id),
    importId: integer('import_id').references(() => imports.id),
    title: text('title').notNull(),
    author: text('author'),
    /** Normalised: `2024-10-15`, `2022-07` or `2016`. */
    published: text('published'),
    publishedPrecision: text('published_precision', { enum: ['day', 'month', 'year'] }),
    /** First day the date can mean (`2022-07` → `2022-07-01`), for range filters and ordering. */
    publishedStart: date('published_start', { mode: 'string' }),
    /** The date exactly as the input wrote it (`7/23/17`, `Tue, 15 Oct 2024 09:30:00 +0200`), kept also when it could not be read. */
    publishedRaw: text('published_raw'),
    url: text('url'),
    language: text('language'),
    notes: text('notes'),
    /** Original file name or row reference, for tracing a document back to its input. */
    origin: text('origin'),
    /** The row's own id in the team's data (an `id` column), so results join back to it. */
    externalId: text('external_id'),
    /** Columns of the row that map to no document field, kept as `{ column: value }` and exported back. */
    metadata: jsonb('metadata').$type<Record<string, string>>(),
    text: text('text').notNull(),
    /** sha256 of `text`, hex. */
    contentHash: text('content_hash').notNull(),
    /**
     * The earlier-stored document of another source this one copies (identical or near-identical
     * text: a syndicated wire story); null for originals and unique texts.
     */
    duplicateOf: integer('duplicate_of').references((): AnyPgColumn => documents.id, { onDelete: 'set null' }),
    /** Jaccard similarity (0..1) of the two texts' word 5-shingles; 1 for identical text. */
    duplicateSimilarity: doublePrecision('duplicate_similarity'),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex('documents_source_hash_uq').on(t.sourceId, t.contentHash),
    index('documents_published_idx').on(t.publishedStart),
    index('documents_import_idx').on(t.importId),
    index('documents_external_id_idx').on(t.externalId),
    index('documents_content_hash_idx').on(t.contentHash),
    index('documents_duplicate_of_idx').on(t.duplicateOf),
    ...enumChecks('documents', t),
  ],
);

/**
 * Locality-sensitive hashing buckets of each document's MinHash signature (see
 * api/ingest/duplicates.ts): documents sharing a band key are near-duplicate candidates.
 */
export const documentBands = pgTable(
  'document_bands',
  {
    /** Hash of (band number, the band's signature values), a 52-bit integer. */
    bandKey: bigint('band_key', { mode: 'number' }).notNull(),
    /**
     * The document (no foreign key: a cascade would scan this table for every deleted document;
     * the one place documents are deleted, rolling back an import, removes their bands by key).
     */
    documentId: integer('document_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bandKey, t.documentId] })],
);

export type Document = typeof documents.$inferSelect;
