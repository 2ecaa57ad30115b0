import { basename } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { importIssues, imports } from '../../db/schema/index.ts';
import { discardImport, findUnfinished, fingerprint, optionsHash } from './checkpoints.ts';
import { checkEndMarker, isEndMarker, needsEndMarker } from './exportEnd.ts';
import { countEvidence, FileDates } from './fileDates.ts';
import { LabelChecker } from './labels.ts';
import { IngestError } from './normalize.ts';
import { PROGRESS_INTERVAL_MS, type ImportHooks, type ImportOptions, type ImportSource } from './options.ts';
import { cellString, fileColumns, prepareRow, unreadRow, type FileColumns, type RowContext, type RowIssue } from './prepare.ts';
import { RejectsWriter } from './rejects.ts';
import { importNameOf, REPORTED_ISSUES, type FileReport } from './report.ts';
import { openBytes, type ByteCounter } from './rows/bytes.ts';
import { rowReader } from './rows/index.ts';
import type { RawRow, RowFormat, RowReader } from './rows/types.ts';
import { ImportWriter } from './store.ts';

/** A batch is committed once it holds this many documents, this much text, or this many rows read. */
export const BATCH_DOCUMENTS = 500;
export const BATCH_TEXT_CHARS = 4 * 1024 * 1024;
export const BATCH_ROWS = 5_000;

/** A reading of the file from its start, with the bytes taken from disk counted. */
function open(source: ImportSource, format: RowFormat): { reader: RowReader; counter: ByteCounter } {
  const counter: ByteCounter = { read: 0 };
  return { reader: rowReader(format, openBytes(source.open, source.file, counter)), counter };
}

/** The file's columns, settled by its header (CSV, TSV, XLSX) or its first readable JSON object. */
function settleColumns(reader: RowReader, row: RawRow, opts: ImportOptions, format: RowFormat): FileColumns | null {
  if (reader.header) return fileColumns(reader.header.names, opts.map ?? {}, `${format.toUpperCase()} header`, true);
  if (row.values === null) return null;
  return fileColumns(Object.keys(row.values), opts.map ?? {}, 'first JSON object', false);
}

/** Reads every published value of the file again, for the date-order decision. */
function publishedValues(source: ImportSource, format: RowFormat, cols: FileColumns): AsyncIterable<string> {
  const col = cols.resolved.published;
  return (async function* () {
    if (col === undefined) return;
    const { reader } = open(source, format);
    for await (const row of reader.rows) {
      const v = row.values ? cellString(row.values[col]) : null;
      if (v !== null) yield v;
    }
  })();
}

/** The --strict check pass: every row prepared, nothing stored; the rejections, if any. */
async function strictCheck(source: ImportSource, format: RowFormat, opts: ImportOptions, ctx: (cols: FileColumns) => RowContext): Promise<{ rejected: number; rejects: RowIssue[]; rows: number }> {
  const { reader } = open(source, format);
  let cols: FileColumns | null = null;
  let context: RowContext | null = null;
  const rejects: RowIssue[] = [];
  let rejected = 0;
  let rows = 0;
  for await (const row of reader.rows) {
    if (isEndMarker(row)) continue;
    rows++;
    cols ??= settleColumns(reader, row, opts, format);
    context ??= cols ? ctx(cols) : null;
    const p = cols && context ? await prepareRow(row, cols, context) : unreadRow(row);
    if ('rejected' in p) {
      rejected++;
      if (rejects.length < REPORTED_ISSUES) rejects.push(p.rejected);
    }
  }
  return { rejected, rejects, rows };
}

/** Issues an earlier run of a resumed import stored, for its report. */
function storedIssues(db: Db, importId: number): { rejects: RowIssue[]; warnings: RowIssue[] } {
  const rows = db.select().from(importIssues).where(eq(importIssues.importId, importId)).orderBy(asc(importIssues.id)).limit(REPORTED_ISSUES * 2).all();
  const as = (kind: 'rejected' | 'warning') => rows.filter((r) => r.kind === kind).slice(0, REPORTED_ISSUES).map((r) => ({ line: r.line, column: r.column, reason: r.message }));
  return { rejects: as('rejected'), warnings: as('warning') };
}

/**
 * A row file (CSV, TSV, JSONL, JSON array, XLSX, each also gzipped): streamed row by row at
 * flat memory and committed in batches with a checkpoint. A bad row is rejected alone (its
 * line, column and reason reported, and written to --rejects); with --strict one bad row and
 * nothing of the file is stored (checked in a first pass that writes nothing). An unfinished
 * import of the same file resumes after its last committed row.
 */
export async function importRowFile(db: Db, source: ImportSource, format: RowFormat, opts: ImportOptions, hooks: ImportHooks, fileIndex: number, files: number): Promise<FileReport> {
  const now = opts.now ?? (() => new Date());
  const name = importNameOf(source.file, opts.importName);
  const print = await fingerprint(source.open);
  const shape = optionsHash({ name, map: opts.map ?? {}, meta: opts.meta ?? {}, manifest: source.manifest ?? null, dateOrder: opts.dateOrder ?? null, strict: opts.strict ?? false, gold: opts.gold ?? false, ...(opts.evaluationOnly ? { evaluationOnly: true } : {}) });
  let resumed = findUnfinished(db, source.file, source.size ?? null, print, shape);
  if (resumed && hooks.resume === false) {
    discardImport(db, resumed.id, opts.actor ?? 'local');
    resumed = null;
  }
  const skip = resumed?.rowsCommitted ?? 0;
  const labels = new LabelChecker(db);
  const held: { dates: FileDates | null } = { dates: null };
  const context = (cols: FileColumns): RowContext => {
    held.dates ??= new FileDates(opts.dateOrder ?? null, () => countEvidence(publishedValues(source, format, cols)));
    return { fileName: basename(source.file), json: format === 'json' || format === 'jsonl', csv: format === 'csv', meta: opts.meta ?? {}, manifest: source.manifest ?? null, dates: held.dates, labels };
  };

  if (opts.strict && skip === 0) {
    const check = await strictCheck(source, format, opts, (cols) => ({ ...context(cols), dates: new FileDates(opts.dateOrder ?? null, () => countEvidence(publishedValues(source, format, cols))) }));
    if (check.rows === 0) throw new IngestError('no documents (the file holds no rows)');
    if (check.rejected > 0) {
      const first = check.rejects[0]!;
      return {
        file: source.file,
        status: 'failed',
        rows: check.rows,
        documents: 0,
        unchanged: 0,
        passages: 0,
        labels: 0,
        attachedLabels: 0,
        duplicates: 0,
        rejected: check.rejected,
        rejects: check.rejects,
        warningCount: 0,
        warnings: [],
        importId: null,
        error: `${source.file}: ${check.rejected} of ${check.rows} rows rejected, so --strict imports none of the file; first: line ${first.line}${first.column ? ` (${first.column})` : ''}: ${first.reason}`,
      };
    }
  }

  const writer = new ImportWriter(
    db,
    { name, filename: basename(source.file), format, origin: opts.origin, path: source.file, fileSize: source.size ?? null, fingerprint: print, optionsHash: shape, actor: opts.actor ?? 'local', gold: opts.gold ?? false, evaluationOnly: opts.evaluationOnly ?? false },
    () => labels.codebookId(),
    now,
    resumed,
  );
  const earlier = resumed ? storedIssues(db, resumed.id) : { rejects: [], warnings: [] };
  const rejects: RowIssue[] = earlier.rejects;
  const warnings: RowIssue[] = earlier.warnings;
  const rejectsOut = opts.rejects ? new RejectsWriter(opts.rejects, format) : null;
  const { reader, counter } = open(source, format);
  const started = Date.now();
  let lastProgress = 0;
  let rows = 0;
  let committedRows = skip;
  let pendingText = 0;
  let cols: FileColumns | null = null;
  let ctx: RowContext | null = null;
  let interrupted = false;

  const progress = (force: boolean) => {
    if (!hooks.onProgress) return;
    const t = Date.now();
    if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = t;
    const seconds = Math.max((t - started) / 1000, 1e-3);
    const bytesPerSecond = counter.read / seconds;
    const total = source.size ?? null;
    hooks.onProgress({
      file: source.file,
      fileIndex,
      files,
      rows,
      bytes: counter.read,
      totalBytes: total,
      documents: writer.counts.documents,
      rejected: writer.counts.rejected,
      rowsPerSecond: rows / seconds,
      etaSeconds: total !== null && bytesPerSecond > 0 ? Math.max(0, (total - counter.read) / bytesPerSecond) : null,
    });
  };
  const note = (kind: 'rejected' | 'warning', issue: RowIssue) => {
    writer.issue(kind, issue);
    const list = kind === 'rejected' ? rejects : warnings;
    if (list.length < REPORTED_ISSUES) list.push(issue);
  };

  try {
    for await (const row of reader.rows) {
      if (rows === 0 && needsEndMarker(row)) await checkEndMarker(open(source, format).reader.rows, format);
      if (isEndMarker(row)) continue;
      rows++;
      cols ??= settleColumns(reader, row, opts, format);
      if (cols) ctx ??= context(cols);
      if (rows <= skip && !rejectsOut) continue;
      const p = cols && ctx ? await prepareRow(row, cols, ctx) : unreadRow(row);
      if (rows <= skip) {
        // Committed by an earlier run: only its rejections are written again, so --rejects is whole.
        if ('rejected' in p) await rejectsOut!.write(row.raw, reader.header);
        continue;
      }
      if ('rejected' in p) {
        note('rejected', p.rejected);
        await rejectsOut?.write(row.raw, reader.header);
      } else {
        writer.add(p.doc);
        pendingText += p.doc.text.length;
        for (const w of p.warnings) note('warning', w);
      }
      if (writer.pendingDocuments >= BATCH_DOCUMENTS || pendingText >= BATCH_TEXT_CHARS || rows - committedRows >= BATCH_ROWS) {
        writer.commit(rows, counter.read, 'running');
        committedRows = rows;
        pendingText = 0;
        progress(true);
        if (hooks.signal?.aborted) {
          interrupted = true;
          break;
        }
      } else progress(false);
    }
    if (rows === 0) throw new IngestError('no documents (the file holds no rows)');
    if (!interrupted) {
      for (const reason of held.dates?.fileWarnings ?? []) note('warning', { line: null, column: cols?.resolved.published ?? null, reason });
      for (const [id, h] of labels.hints) {
        note('warning', { line: null, column: cols?.resolved.label ?? null, reason: `${h.rows} rows carry labels of stored codebook ${h.name} ${h.version}, which is not active: "framescope codebook activate ${id}", then import the file again` });
      }
    }
    writer.commit(rows, counter.read, interrupted ? 'interrupted' : 'complete');
    progress(true);
  } catch (e) {
    rejectsOut?.abandon();
    if (writer.importId !== null) {
      // What was committed stays, marked unfinished: a rerun resumes (or, with resume off, rolls it back).
      db.update(imports).set({ state: 'interrupted', updatedAt: now().toISOString() }).where(eq(imports.id, writer.importId)).run();
      const message = e instanceof IngestError ? e.message : e instanceof Error ? e.message : String(e);
      throw new IngestError(`${message} (at row ${rows}; the ${writer.counts.documents} documents committed before stay stored, and import ${writer.importId} is marked interrupted)`);
    }
    throw e;
  }
  const written = interrupted ? null : await rejectsOut?.finish(reader.header);
  if (interrupted) rejectsOut?.abandon();
  const c = writer.counts;
  const everyRowRejected = c.rejected > 0 && c.documents + c.unchanged === 0;
  const first = rejects[0];
  return {
    file: source.file,
    status: interrupted ? 'interrupted' : everyRowRejected ? 'failed' : c.documents > 0 ? 'imported' : 'unchanged',
    rows: c.rows,
    documents: c.documents,
    unchanged: c.unchanged,
    passages: c.passages,
    labels: c.labels,
    attachedLabels: c.attachedLabels,
    duplicates: c.duplicates,
    rejected: c.rejected,
    rejects,
    warningCount: c.warnings,
    warnings,
    importId: writer.importId,
    ...(skip > 0 ? { resumedAt: skip } : {}),
    ...(written ? { rejectsFile: written.path } : {}),
    ...(everyRowRejected && first ? { error: `${source.file}: every row was rejected (${c.rejected}); first: line ${first.line}${first.column ? ` (${first.column})` : ''}: ${first.reason}` } : {}),
  };
}
