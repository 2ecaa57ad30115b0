import { basename, extname } from 'node:path';
import { z } from 'zod';

/** A rejected row or a warning: its line (null for the whole file), the column at fault, and why. */
export const RowIssueSchema = z
  .object({ line: z.number().int().nullable(), column: z.string().nullable(), reason: z.string() })
  .meta({ id: 'RowIssue' });

/** The per-file line of an import report (the shape of `import --json` and `POST /api/imports`). */
export const FileReportSchema = z
  .object({
    file: z.string(),
    /** interrupted: stopped before the end (cancelled); what was read is stored and a rerun resumes it. */
    status: z.enum(['imported', 'unchanged', 'failed', 'interrupted']),
    /** Data rows read (row files; 1 for a single-document file). */
    rows: z.number().int(),
    /** Documents newly stored. */
    documents: z.number().int(),
    /** Documents already stored (same source and content hash), skipped. */
    unchanged: z.number().int(),
    /** Passages created. */
    passages: z.number().int(),
    /** Labels stored as import reviews on the new documents. */
    labels: z.number().int(),
    /** Labels stored as import reviews on documents that were already stored. */
    attachedLabels: z.number().int(),
    /** New documents linked as copies of another source's document. */
    duplicates: z.number().int(),
    /** Rows rejected; the first REPORTED_ISSUES are listed in `rejects`. */
    rejected: z.number().int(),
    rejects: z.array(RowIssueSchema),
    /** Warnings (an unreadable date kept raw, NUL characters removed, an assumed date order); the first REPORTED_ISSUES are listed. */
    warningCount: z.number().int(),
    warnings: z.array(RowIssueSchema),
    /** The import row (null when nothing was stored). */
    importId: z.number().int().nullable(),
    /** Rows that had been committed by an earlier, interrupted run of the same import. */
    resumedAt: z.number().int().optional(),
    /** Where the rejected rows were written (`--rejects`). */
    rejectsFile: z.string().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'FileReport' });
export type FileReport = z.infer<typeof FileReportSchema>;

/** Sums over every file of an import. */
export const ImportTotalsSchema = z.object({
  files: z.number().int(),
  imported: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  interrupted: z.number().int(),
  documents: z.number().int(),
  unchangedDocuments: z.number().int(),
  passages: z.number().int(),
  labels: z.number().int(),
  attachedLabels: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  warnings: z.number().int(),
});
export type ImportTotals = z.infer<typeof ImportTotalsSchema>;

/** What an import did, file by file. */
export const ImportReportSchema = z.object({ files: z.array(FileReportSchema), totals: ImportTotalsSchema }).meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReportSchema>;

/** Rejected rows and warnings listed per file in a report (all are counted, and all go to --rejects). */
export const REPORTED_ISSUES = 1_000;
/** A report line for a file that wrote nothing. */
export function failedReport(file: string, error: string, extra: Partial<FileReport> = {}): FileReport {
  return { file, status: 'failed', rows: 0, documents: 0, unchanged: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, rejects: [], warningCount: 0, warnings: [], importId: null, ...extra, error };
}

/** The import name of a file: `--import-name`, else its base name (`news.csv.gz` → `news`). */
export function importNameOf(file: string, given: string | undefined): string {
  if (given?.trim()) return given.trim();
  const base = basename(file).replace(/\.gz$/i, '');
  return basename(base, extname(base));
}

/** Sums per-file reports. */
export function totalsOf(files: FileReport[]): ImportTotals {
  const t: ImportTotals = { files: files.length, imported: 0, unchanged: 0, failed: 0, interrupted: 0, documents: 0, unchangedDocuments: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, warnings: 0 };
  for (const f of files) {
    t[f.status]++;
    t.documents += f.documents;
    t.unchangedDocuments += f.unchanged;
    t.passages += f.passages;
    t.labels += f.labels;
    t.attachedLabels += f.attachedLabels;
    t.duplicates += f.duplicates;
    t.rejected += f.rejected;
    t.warnings += f.warningCount;
  }
  return t;
}

