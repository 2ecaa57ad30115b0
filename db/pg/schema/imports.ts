import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { IMPORT_FORMATS } from '../../schema/imports.ts';

/**
 * One imported file (or demo corpus load); documents and imported labels point back to it.
 * A row file is committed in batches: `state` and the checkpoint (`rowsCommitted`,
 * `bytesCommitted`) are written in the same transaction as each batch, so after a crash the
 * row says exactly how far the file got and a rerun resumes from there. An import that is not
 * `complete` never passes for a whole file.
 */
export const imports = pgTable(
  'imports',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** The name labels from this import are recorded under (reviewer `import:<name>`). */
    name: text('name').notNull(),
    /**
     * The file's labels are a gold standard coded by people elsewhere: they count as independent
     * human decisions (api/items/provenance.ts). Labels of other imports are recorded and exported
     * but, like bulk accepts, never counted as independent.
     */
    gold: boolean('gold').notNull().default(false),
    /** The file's labels are a held-out evaluation set: gold for evals, never trained on. */
    evaluationOnly: boolean('evaluation_only').notNull().default(false),
    filename: text('filename'),
    format: text('format', { enum: IMPORT_FORMATS }).notNull(),
    origin: text('origin', { enum: ['cli', 'upload', 'demo'] }).notNull(),
    /** running: batches are being committed; interrupted: stopped (crash, cancel) before the end; complete: every row read. */
    state: text('state', { enum: ['running', 'interrupted', 'complete'] }).notNull().default('complete'),
    /** The file as named to the import (path or upload name): with the fingerprint, how a rerun finds the import to resume. */
    path: text('path'),
    /** Size in bytes and sha256 of the first MiB, hex: a rerun resumes only the same file. */
    fileSize: bigint('file_size', { mode: 'number' }),
    fingerprint: text('fingerprint'),
    /** sha256 of the options that shape the documents (mapping, metadata, date order, strict): a rerun with other options starts afresh. */
    optionsHash: text('options_hash'),
    /** Checkpoint: rows (data rows, any outcome) and input bytes read up to the last committed batch. */
    rowsCommitted: integer('rows_committed').notNull().default(0),
    bytesCommitted: bigint('bytes_committed', { mode: 'number' }).notNull().default(0),
    documentsImported: integer('documents_imported').notNull().default(0),
    documentsUnchanged: integer('documents_unchanged').notNull().default(0),
    passagesImported: integer('passages_imported').notNull().default(0),
    labelsImported: integer('labels_imported').notNull().default(0),
    /** Labels attached as import reviews to documents that were already stored. */
    labelsAttached: integer('labels_attached').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
    /** Documents linked as copies of another source's document (syndication). */
    duplicatesLinked: integer('duplicates_linked').notNull().default(0),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
    updatedAt: isoTimestamp('updated_at'),
    completedAt: isoTimestamp('completed_at'),
  },
  (t) => [index('imports_resume_idx').on(t.path, t.state), ...enumChecks('imports', t)]
);

/**
 * A rejected row or a warning of an import, kept with the import so a resumed or background
 * import reports what happened before it was interrupted. At most IMPORT_ISSUES_KEPT per
 * import are stored (the counts on `imports` are always complete).
 */
export const importIssues = pgTable(
  'import_issues',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    importId: integer('import_id').notNull().references(() => imports.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['rejected', 'warning'] }).notNull(),
    /** 1-based line (CSV, JSONL, JSON) or sheet row (XLSX) where the row starts; null for file-level warnings. */
    line: integer('line'),
    column: text('column'),
    message: text('message').notNull(),
  },
  (t) => [index('import_issues_import_idx').on(t.importId, t.id), ...enumChecks('import_issues', t)]
);

export type Import = typeof imports.$inferSelect;
export type ImportIssue = typeof importIssues.$inferSelect;
