import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One imported file (or demo corpus load); documents and imported labels point back to it. */
export const imports = sqliteTable('imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** The name labels from this import are recorded under (reviewer `import:<name>`). */
  name: text('name').notNull(),
  filename: text('filename'),
  format: text('format', { enum: ['text', 'markdown', 'html', 'csv', 'jsonl', 'demo'] }).notNull(),
  origin: text('origin', { enum: ['cli', 'upload', 'demo'] }).notNull(),
  documentsImported: integer('documents_imported').notNull().default(0),
  documentsUnchanged: integer('documents_unchanged').notNull().default(0),
  labelsImported: integer('labels_imported').notNull().default(0),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

export type Import = typeof imports.$inferSelect;
