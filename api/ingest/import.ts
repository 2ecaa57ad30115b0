import { extname } from 'node:path';
import type { Db } from '../../db/client.ts';
import { importDocumentFile } from './documentFile.ts';
import { IngestError } from './normalize.ts';
import type { ImportHooks, ImportOptions, ImportSource } from './options.ts';
import { formatOf, isRowFormat, SUPPORTED_EXTENSIONS } from './readers.ts';
import { failedReport, totalsOf, type FileReport, type ImportReport } from './report.ts';
import { importRowFile } from './rowFile.ts';

export * from './options.ts';
export * from './report.ts';

/** Why an unexpected error stopped one file, in one line (the other files go on). */
function unexpected(e: unknown): string {
  if (e instanceof RangeError) return `could not be read: ${e.message} (the file is nested or repeated beyond what the import handles)`;
  return `could not be read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
}

/** Imports one file; never throws for anything about the file: a bad file yields a `failed` line. */
async function importOne(db: Db, source: ImportSource, opts: ImportOptions, hooks: ImportHooks, fileIndex: number, files: number): Promise<FileReport> {
  const format = formatOf(source.file);
  if (format === null) return failedReport(source.file, `${source.file}: unsupported file type "${extname(source.file) || '(none)'}" (use ${SUPPORTED_EXTENSIONS})`);
  try {
    if (isRowFormat(format)) return await importRowFile(db, source, format, opts, hooks, fileIndex, files);
    if (opts.rejects) throw new IngestError('--rejects applies to row files (CSV, TSV, JSONL, JSON, XLSX)');
    return await importDocumentFile(db, source, format, opts);
  } catch (e) {
    return failedReport(source.file, `${source.file}: ${e instanceof IngestError ? e.message : unexpected(e)}`);
  }
}

/**
 * The one entry point of an import, for the CLI, uploads and background jobs: imports the
 * files one after another, each independently (one failing never stops the others; each is
 * read only when its turn comes). Row files stream at flat memory and commit in batches with a
 * checkpoint, single-document files commit whole. After a cancel (`hooks.signal`) the current
 * file is left `interrupted` and the rest are not started.
 */
export async function runImport(db: Db, sources: Iterable<ImportSource> | AsyncIterable<ImportSource>, opts: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const list: ImportSource[] = [];
  for await (const s of sources) list.push(s);
  const rowFiles = list.filter((s) => {
    const f = formatOf(s.file);
    return f !== null && isRowFormat(f);
  });
  if (opts.rejects && rowFiles.length > 1) throw new IngestError(`--rejects writes one file: import one row file at a time with it (${rowFiles.length} given)`);
  const reports: FileReport[] = [];
  for (const [i, source] of list.entries()) {
    if (hooks.signal?.aborted) break;
    reports.push(await importOne(db, source, opts, hooks, i, list.length));
  }
  return { files: reports, totals: totalsOf(reports) };
}
