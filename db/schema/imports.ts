import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The file formats an import reads, and `demo` for the bundled corpus. */
export const IMPORT_FORMATS = ['text', 'markdown', 'html', 'csv', 'tsv', 'jsonl', 'json', 'xlsx', 'demo'] as const;

/**
 * One imported file (or demo corpus load); documents and imported labels point back to it.
 * A row file is committed in batches: `state` and the checkpoint (`rowsCommitted`,
 * `bytesCommitted`) are written in the same transaction as each batch, so after a crash the
 * row says exactly how far the file got and a rerun resumes from there. An import that is not
 * `complete` never passes for a whole file.
 */
export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The name labels from this import are recorded under (reviewer `import:<name>`). */
    name: text('name').notNull(),
    /**
     * The file's labels are a gold standard coded by people elsewhere: they count as independent
     * human decisions (api/items/provenance.ts). Labels of other imports are recorded and exported
     * but, like bulk accepts, never counted as independent.
     */
    gold: integer('gold', { mode: 'boolean' }).notNull().default(false),
    /**
     * The file's labels are a held-out evaluation set: gold (as above) for scoring, but never
     * trained on (api/training/examples.ts leaves out every item this import labelled).
     */
    evaluationOnly: integer('evaluation_only', { mode: 'boolean' }).notNull().default(false),
    filename: text('filename'),
    format: text('format', { enum: IMPORT_FORMATS }).notNull(),
    origin: text('origin', { enum: ['cli', 'upload', 'demo'] }).notNull(),
    /** running: batches are being committed; interrupted: stopped (crash, cancel) before the end; complete: every row read. */
    state: text('state', { enum: ['running', 'interrupted', 'complete'] }).notNull().default('complete'),
    /** The file as named to the import (path or upload name): with the fingerprint, how a rerun finds the import to resume. */
    path: text('path'),
    /** Size in bytes and sha256 of the first MiB, hex: a rerun resumes only the same file. */
    fileSize: integer('file_size'),
    fingerprint: text('fingerprint'),
    /** sha256 of the options that shape the documents (mapping, metadata, date order, strict): a rerun with other options starts afresh. */
    optionsHash: text('options_hash'),
    /** Checkpoint: rows (data rows, any outcome) and input bytes read up to the last committed batch. */
    rowsCommitted: integer('rows_committed').notNull().default(0),
    bytesCommitted: integer('bytes_committed').notNull().default(0),
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
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    updatedAt: text('updated_at'),
    completedAt: text('completed_at'),
  },
  (t) => [index('imports_resume_idx').on(t.path, t.state)],
);

/**
 * A rejected row or a warning of an import, kept with the import so a resumed or background
 * import reports what happened before it was interrupted. At most IMPORT_ISSUES_KEPT per
 * import are stored (the counts on `imports` are always complete).
 */
export const importIssues = sqliteTable(
  'import_issues',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    importId: integer('import_id').notNull().references(() => imports.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['rejected', 'warning'] }).notNull(),
    /** 1-based line (CSV, JSONL, JSON) or sheet row (XLSX) where the row starts; null for file-level warnings. */
    line: integer('line'),
    column: text('column'),
    message: text('message').notNull(),
  },
  (t) => [index('import_issues_import_idx').on(t.importId, t.id)],
);

export type Import = typeof imports.$inferSelect;
export type ImportIssue = typeof importIssues.$inferSelect;
