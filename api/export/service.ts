import Database from 'better-sqlite3';
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { CodebookDefinitionSchema } from '../codebooks/definition.ts';
import { openReader as openTargetReader, reopenTarget } from '../../db/target.ts';
import { renderDatasetCard, DatasetTally } from './card.ts';
import { EXPORT_FORMAT_VERSION, type ExportRow } from './columns.ts';
import { encodeRows } from './formats.ts';
import { offThreadStream, pullStream } from './offThread.ts';
import { iterateRows, planExport, type ExportPlan } from './query.ts';
import type { ExportRequest } from './request.ts';

/**
 * Export service: plans an export (validation, row count, empty-file reason) and streams it as
 * byte chunks. Routes and the CLI only move those chunks to a response or a file.
 */

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8', parquet: 'application/vnd.apache.parquet' } as const;

/** A planned export, holding its own read connection until the stream ends. */
export interface ExportJob {
  plan: ExportPlan;
  fileName: string;
  contentType: string;
  /** Yields the file's bytes chunk by chunk; reports rows written to `onProgress`. Releases the read connection when done or returned early. */
  chunks(onProgress?: (rows: number) => void): Generator<Uint8Array>;
  /**
   * The file as a pull-driven byte stream for an HTTP body: for a database file it is encoded in
   * a worker thread (api/export/offThread.ts), so a large export never competes with other
   * requests for the server's thread; an in-memory database (tests) is encoded in place.
   */
  stream(): ReadableStream<Uint8Array>;
  /** Releases the read connection without streaming (e.g. the request was refused). */
  close(): void;
}

/**
 * A connection for reading the export. For a database file it is a separate read-only
 * connection: better-sqlite3 keeps a connection busy while a statement is being stepped, so a
 * long download on the app's own connection would block every write until it finished. The
 * open statement also pins one WAL snapshot, so the file is consistent. An in-memory database
 * (tests) can only be read through its own connection. On PostgreSQL it is a second connection
 * by URL whose session is read-only (db/target.ts).
 */
function openReader(db: Db): { sqlite: Database.Database; close: () => void } {
  const client = db.$client;
  if (client.memory) return { sqlite: client, close: () => {} };
  const reader = openTargetReader(reopenTarget(db));
  return { sqlite: reader, close: () => reader.close() };
}

function baseName(request: ExportRequest): string {
  return `framescope-${request.level}-${request.status}`;
}

/**
 * Plans an export: validates the request against the database and counts the rows. Throws a
 * 400 AppError for bad filters, before any byte is produced.
 */
export function prepareExport(db: Db, request: ExportRequest, now: () => Date = () => new Date()): ExportJob {
  const reader = openReader(db);
  let plan: ExportPlan;
  try {
    plan = planExport(reader.sqlite, request);
  } catch (err) {
    reader.close();
    throw err;
  }
  const dataFile = `${baseName(request)}.${request.format}`;
  const chunks = function* (onProgress?: (rows: number) => void) {
    try {
      yield* encodeExport(reader.sqlite, plan, dataFile, now(), onProgress);
    } finally {
      reader.close();
    }
  };
  return {
    plan,
    fileName: request.bundle ? `${baseName(request)}-${request.format}.zip` : dataFile,
    contentType: request.bundle ? 'application/zip' : CONTENT_TYPES[request.format],
    close: reader.close,
    chunks,
    stream() {
      if (db.$client.memory) return pullStream(chunks());
      reader.close();
      return offThreadStream({ dbPath: reopenTarget(db), plan, dataFile, generatedAt: now().toISOString() });
    },
  };
}

/**
 * The bytes of a planned export, read from `sqlite`: the data file, or the zip bundle with the
 * codebooks and dataset card. Runs on the server's thread for the CLI and tests, and in the
 * export worker for the HTTP download.
 */
export function* encodeExport(sqlite: Database.Database, plan: ExportPlan, dataFile: string, generatedAt: Date, onProgress?: (rows: number) => void): Generator<Uint8Array> {
  const { request } = plan;
  // Only a bundle's card needs the tallies; plain files skip that work.
  const tally = request.bundle ? new DatasetTally(plan.columns) : null;
  const counter = { rows: 0 };
  const rows = tapRows(iterateRows(sqlite, plan), counter, tally, onProgress);
  const metadata = { framescope_export: EXPORT_FORMAT_VERSION, filters: plan.filterSummary.join('; ') };
  const data = encodeRows(request.format, plan.columns, rows, { bom: request.bom, metadata });
  if (!request.bundle) yield* data;
  else yield* bundle(sqlite, plan, tally!, data, dataFile, generatedAt);
  onProgress?.(counter.rows);
}

/** What an export with some parameters would hold, before any byte is produced. */
export const ExportPreviewSchema = z
  .object({
    rows: z.number().int().meta({ description: 'Rows the export would hold' }),
    emptyReason: z.string().nullable().meta({ description: 'Why it would be empty' }),
    fileName: z.string(),
    filters: z.array(z.string()).meta({ description: 'The resolved filters, in words' }),
  })
  .meta({ id: 'ExportPreview' });
export type ExportPreview = z.infer<typeof ExportPreviewSchema>;

/** Plans an export and releases it at once: its row count, empty-file reason and file name. */
export function previewExport(db: Db, request: ExportRequest, now: () => Date = () => new Date()): ExportPreview {
  const job = prepareExport(db, request, now);
  job.close();
  return { rows: job.plan.total, emptyReason: job.plan.emptyReason, fileName: job.fileName, filters: job.plan.filterSummary };
}

const PROGRESS_EVERY = 1_000; // rows between progress reports

function* tapRows(
  source: Generator<ExportRow>,
  counter: { rows: number },
  tally: DatasetTally | null,
  onProgress?: (rows: number) => void,
): Generator<ExportRow> {
  for (const row of source) {
    counter.rows += 1;
    tally?.add(row);
    if (onProgress && counter.rows % PROGRESS_EVERY === 0) onProgress(counter.rows);
    yield row;
  }
}

interface CodebookRow {
  id: number;
  name: string;
  version: string;
  definition: string;
}

/**
 * Zip bundle, streamed: the data file first (deflated as it is produced; Parquet is stored,
 * it is compressed already), then the codebooks the rows were labelled under and the dataset
 * card, whose figures were tallied while the data streamed.
 */
function* bundle(sqlite: Database.Database, plan: ExportPlan, tally: DatasetTally, data: Generator<Uint8Array>, dataFile: string, generatedAt: Date): Generator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  const drain = function* () {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  };
  const entry = plan.request.format === 'parquet' ? new ZipPassThrough(dataFile) : new ZipDeflate(dataFile, { level: 6 });
  // Entries are dated by the export's clock, not the wall clock: the same export is the same bytes.
  entry.mtime = generatedAt;
  zip.add(entry);
  for (const chunk of data) {
    entry.push(chunk);
    yield* drain();
  }
  entry.push(new Uint8Array(0), true);
  yield* drain();

  const ids = [...tally.codebookIds];
  const codebooks = (
    ids.length > 0
      ? sqlite.prepare(`SELECT id, name, version, definition FROM codebooks WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`).all(...ids)
      : sqlite.prepare('SELECT id, name, version, definition FROM codebooks WHERE active = TRUE').all()
  ) as CodebookRow[];
  const codebookFiles: string[] = [];
  for (const c of codebooks) {
    const name = `codebook-${c.name}-v${c.version}.json`.replace(/[^\w.@-]+/g, '_');
    codebookFiles.push(name);
    addFile(zip, name, codebookFileText(c.definition), generatedAt);
  }
  addFile(zip, 'README.md', renderDatasetCard({ plan, tally, dataFile, codebookFiles, generatedAt }), generatedAt);
  zip.end();
  yield* drain();
}

/**
 * A stored codebook as the bundle's JSON file, its fields in the codebook format's order (as
 * CodebookDefinitionSchema lists them) and the stance labels from the lowest value: PostgreSQL's
 * jsonb keeps neither order, so both engines write this one.
 */
export function codebookFileText(definition: string): string {
  const parsed = CodebookDefinitionSchema.safeParse(JSON.parse(definition));
  if (!parsed.success) return `${JSON.stringify(JSON.parse(definition), null, 2)}\n`;
  const def = parsed.data;
  const labels = Object.fromEntries(Object.entries(def.stance.labels).sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...def, stance: { ...def.stance, labels } }, null, 2)}\n`;
}

function addFile(zip: Zip, name: string, text: string, mtime: Date): void {
  const file = new ZipDeflate(name, { level: 9 });
  file.mtime = mtime;
  zip.add(file);
  file.push(strToU8(text), true);
}
