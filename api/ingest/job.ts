import { createReadStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JobKindSpec } from '../jobs/types.ts';
import type { ImportOptions, ImportSource } from './options.ts';
import type { DocumentMeta } from './readers.ts';
import { ImportReportSchema, totalsOf, type FileReport, type ImportReport } from './report.ts';

/** One file an import job reads: a path on the server (an upload saved by the request). */
export interface ImportJobFile {
  /** Name shown in the report. */
  file: string;
  path: string;
  manifest: DocumentMeta | null;
}

/** An import job's parameters: its files in order, and what applies to all of them. */
export interface ImportJobParams {
  files: ImportJobFile[];
  options: Omit<ImportOptions, 'now'>;
  /** Files refused before the job (too large, unreadable): reported as failed. */
  failures?: FileReport[];
  /** A folder of uploaded files the job owns and removes once every file is imported. */
  uploadDir?: string;
}

/** The folder an upload's files are kept in until its import job has read them. */
export function uploadDir(filesDir: string, uploadId: string): string {
  return join(filesDir, 'uploads', uploadId);
}

/**
 * Imports files one by one through the import's entry point (runImport: row files stream and
 * commit in batches with a checkpoint), with progress in bytes, and saves the report after each
 * file, so the Corpus page shows per-file results as they finish. Resumable: a resumed job skips
 * the files its report already has and continues the one it was in from its checkpoint; a
 * cancel stops at the importer's next batch, leaving that file to resume the same way.
 */
export const importJob: JobKindSpec<ImportJobParams> = {
  kind: 'import',
  resumable: true,
  describe: (p) => {
    const names = [...(p.failures ?? []).map((f) => f.file), ...p.files.map((f) => f.file)];
    return `import of ${names.length} file${names.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
  },
  result: ImportReportSchema,
  async run(ctx) {
    // Loaded here, not with the job registry: the readers bring jsdom and the row parsers, which a thread running other kinds never needs.
    const { runImport } = await import('./import.ts');
    const { files, options, failures = [] } = ctx.params;
    const saved = (ctx.job.result as ImportReport | null)?.files ?? failures;
    const reports: FileReport[] = [...saved];
    const done = new Set(reports.map((r) => r.file));
    const sizes = new Map(files.map((f) => [f.file, statSync(f.path).size]));
    const totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
    let bytesBefore = files.filter((f) => done.has(f.file)).reduce((n, f) => n + sizes.get(f.file)!, 0);
    const failed = () => reports.filter((r) => r.status === 'failed').length;
    ctx.progress({ phase: 'importing', unit: 'bytes', done: bytesBefore, total: totalBytes, failed: failed() });
    for (const f of files) {
      if (done.has(f.file)) continue;
      if (ctx.signal.aborted) return { state: 'cancelled', result: { files: reports, totals: totalsOf(reports) } };
      const source: ImportSource = { file: f.file, size: sizes.get(f.file), open: () => createReadStream(f.path, { highWaterMark: 256 * 1024 }), manifest: f.manifest };
      ctx.progress({ message: f.file });
      const report = await runImport(ctx.deps.db, [source], { ...options, now: ctx.deps.now }, {
        signal: ctx.signal,
        resume: true,
        onProgress: (p) => ctx.progress({ done: bytesBefore + p.bytes, message: `${p.file}: ${p.rows.toLocaleString('en')} rows, ${p.documents.toLocaleString('en')} documents${p.rejected ? `, ${p.rejected} rejected` : ''}` }),
      });
      const line = report.files[0];
      // Cut off by the cancel: committed batches stay, and the file resumes from its checkpoint.
      if (!line || line.status === 'interrupted') return { state: 'cancelled', result: { files: reports, totals: totalsOf(reports) } };
      reports.push(line);
      bytesBefore += sizes.get(f.file)!;
      const result: ImportReport = { files: reports, totals: totalsOf(reports) };
      ctx.saveResult(result);
      ctx.progress({ done: bytesBefore, failed: failed(), message: null });
      await ctx.yield();
    }
    if (ctx.params.uploadDir) rmSync(ctx.params.uploadDir, { recursive: true, force: true });
    return { state: 'completed', result: { files: reports, totals: totalsOf(reports) } };
  },
};
