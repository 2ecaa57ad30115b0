import { basename, extname } from 'node:path';
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { imports, reviews, reviewThemes, users } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { recomputeReviewState } from '../items/state.ts';
import { addDocumentToRollups } from '../dashboard/rollups.ts';
import { decodeText, IngestError, MAX_FILE_BYTES, parsePublished, sha256, tooLargeMessage } from './normalize.ts';
import { formatOf, readCsvFile, readHtmlFile, readJsonlFile, readTextFile, type ColumnMap, type DocumentMeta, type FileFormat, type ParsedDocument } from './readers.ts';
import { segment } from './segment.ts';

/** Source name for documents whose file, manifest, row and flags name none. */
export const UNATTRIBUTED_SOURCE = 'Unattributed';

/** One file handed to the import. */
export interface ImportInput {
  /** Name shown in the report (a path for the CLI, the file name for uploads). */
  file: string;
  /** Reads the file's bytes; called only after the size check, so huge files are never loaded. */
  read: () => Uint8Array;
  /** Size in bytes when known before reading (files on disk). */
  size?: number;
  /** Metadata from the folder's manifest.json entry for this file. */
  manifest?: DocumentMeta | null;
}

/** How an import run is described and what it applies to every file. */
export interface ImportOptions {
  origin: 'cli' | 'upload' | 'demo';
  /** Metadata from flags or the upload form: overrides the manifest, the file and its rows. */
  meta?: DocumentMeta;
  /** Column mapping for CSV/JSONL (`--map`). */
  map?: ColumnMap;
  /** Name labels are recorded under (`import:<name>`); default: the file's base name. */
  importName?: string;
  /** Who is recorded in the audit log. */
  actor?: string;
}

/** The per-file line of an import report (the shape of `import --json` and `POST /api/imports`). */
export const FileReportSchema = z
  .object({
    file: z.string(),
    status: z.enum(['imported', 'unchanged', 'failed']),
    /** Documents newly stored. */
    documents: z.number().int(),
    /** Documents already stored (same source and content hash), skipped. */
    unchanged: z.number().int(),
    /** Passages created. */
    passages: z.number().int(),
    /** Labels stored as import reviews. */
    labels: z.number().int(),
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
  documents: z.number().int(),
  unchangedDocuments: z.number().int(),
  passages: z.number().int(),
  labels: z.number().int(),
});
export type ImportTotals = z.infer<typeof ImportTotalsSchema>;

/** What an import did, file by file. */
export const ImportReportSchema = z.object({ files: z.array(FileReportSchema), totals: ImportTotalsSchema }).meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReportSchema>;

interface PreparedDocument {
  parsed: ParsedDocument;
  meta: { [K in keyof DocumentMeta]-?: string | null } & { title: string; source: string };
  publishedPrecision: 'day' | 'month' | 'year' | null;
  publishedStart: string | null;
  contentHash: string;
}

/** Reads a file into documents with their final metadata; throws IngestError on any bad input. */
function parseFile(input: ImportInput, opts: ImportOptions): { format: FileFormat; docs: PreparedDocument[] } {
  const format = formatOf(input.file);
  if (format === null) throw new IngestError(`unsupported file type "${extname(input.file) || '(none)'}" (use .txt, .md, .html, .csv or .jsonl)`);
  if (input.size !== undefined && input.size > MAX_FILE_BYTES) throw new IngestError(tooLargeMessage(input.size));
  const text = decodeText(input.read());
  let parsed: ParsedDocument[];
  if (format === 'text' || format === 'markdown') parsed = [readTextFile(basename(input.file), text, format)];
  else if (format === 'html') parsed = [readHtmlFile(basename(input.file), text)];
  else if (format === 'csv') parsed = readCsvFile(basename(input.file), text, opts.map ?? {});
  else parsed = readJsonlFile(basename(input.file), text, opts.map ?? {});

  const docs = parsed.map((p): PreparedDocument => {
    const where = p.row === null ? '' : `${format === 'csv' ? 'row' : 'line'} ${p.row}: `;
    const pick = (k: keyof DocumentMeta): string | null => {
      const v = opts.meta?.[k] ?? input.manifest?.[k] ?? p[k] ?? null;
      return v === null || v.trim() === '' ? null : v.trim();
    };
    if (!/\S/u.test(p.text)) throw new IngestError(`${where}no text`);
    const title = pick('title') ?? basename(input.file, extname(input.file));
    let date = null;
    const published = pick('published');
    if (published !== null) {
      try {
        date = parsePublished(published);
      } catch (e) {
        throw new IngestError(`${where}${(e as Error).message}`);
      }
    }
    return {
      parsed: p,
      meta: {
        title,
        author: pick('author'),
        source: pick('source') ?? UNATTRIBUTED_SOURCE,
        published: date?.published ?? null,
        url: pick('url'),
        language: pick('language'),
        country: pick('country'),
        notes: pick('notes'),
      },
      publishedPrecision: date?.precision ?? null,
      publishedStart: date?.start ?? null,
      contentHash: sha256(p.text),
    };
  });
  return { format, docs };
}

/** Checks carried labels against the active codebook before anything is written. */
function validateLabels(db: Db, docs: PreparedDocument[], format: FileFormat): number | null {
  if (!docs.some((d) => d.parsed.carried)) return null;
  const codebook = getActiveCodebook(db);
  const def = codebook.definition;
  const labels = new Set(def.labels.map((l) => l.id));
  const themes = new Set(def.themes.map((t) => t.id));
  for (const d of docs) {
    const c = d.parsed.carried;
    if (!c) continue;
    const where = `${format === 'csv' ? 'row' : 'line'} ${d.parsed.row}`;
    if (!labels.has(c.label)) throw new IngestError(`${where}: label "${c.label}" is not in codebook ${def.name} ${def.version} (labels: ${[...labels].join(', ')})`);
    if (c.stance !== null && (c.stance < def.stance.min || c.stance > def.stance.max)) {
      throw new IngestError(`${where}: stance ${c.stance} is outside ${def.stance.min}..${def.stance.max}`);
    }
    const unknown = c.themes.find((t) => !themes.has(t));
    if (unknown !== undefined) throw new IngestError(`${where}: theme "${unknown}" is not in codebook ${def.name} ${def.version}`);
  }
  return codebook.id;
}

interface Statements {
  findSource: Database.Statement;
  insertSource: Database.Statement;
  findDocument: Database.Statement;
  insertDocument: Database.Statement;
  insertPassage: Database.Statement;
  insertItem: Database.Statement;
}

const statementCache = new WeakMap<Database.Database, Statements>();

/**
 * The import's hot path uses better-sqlite3 prepared statements directly (on the same
 * connection, inside the drizzle transaction): building a drizzle query per passage costs
 * more than the insert itself and would keep a 100,000-document import from its speed target.
 */
function statements(client: Database.Database): Statements {
  let s = statementCache.get(client);
  if (!s) {
    s = {
      findSource: client.prepare('SELECT id FROM sources WHERE name = ?').pluck(),
      insertSource: client.prepare('INSERT INTO sources (name, country, url) VALUES (?, ?, ?)'),
      findDocument: client.prepare('SELECT id FROM documents WHERE source_id = ? AND content_hash = ?').pluck(),
      insertDocument: client.prepare(
        `INSERT INTO documents (source_id, import_id, title, author, published, published_precision, published_start, url, language, notes, origin, text, content_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertPassage: client.prepare(
        `INSERT INTO passages (document_id, seq, start, "end", text, excluded, excluded_reason, excluded_by, auto_excluded, auto_excluded_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertItem: client.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, excluded, random_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    };
    statementCache.set(client, s);
  }
  return s;
}

function reviewerFor(tx: Tx, name: string): number {
  const userName = `import:${name}`;
  const existing = tx.select({ id: users.id }).from(users).where(eq(users.name, userName)).get();
  return existing?.id ?? tx.insert(users).values({ name: userName, role: 'import' }).returning({ id: users.id }).get().id;
}

/** Stores one parsed file in one transaction: all of it or (on any error) nothing. */
function storeFile(db: Db, input: ImportInput, format: FileFormat, docs: PreparedDocument[], codebookId: number | null, opts: ImportOptions): FileReport {
  const st = statements(db.$client);
  const name = opts.importName?.trim() || basename(input.file, extname(input.file));
  const report: FileReport = { file: input.file, status: 'unchanged', documents: 0, unchanged: 0, passages: 0, labels: 0 };
  db.transaction((tx) => {
    let importId: number | null = null;
    let reviewerId: number | null = null;
    const sourceIds = new Map<string, number>();
    for (const d of docs) {
      let sourceId = sourceIds.get(d.meta.source);
      if (sourceId === undefined) {
        sourceId = (st.findSource.get(d.meta.source) as number | undefined) ?? Number(st.insertSource.run(d.meta.source, d.meta.country, null).lastInsertRowid);
        sourceIds.set(d.meta.source, sourceId);
      }
      if (st.findDocument.get(sourceId, d.contentHash) !== undefined) {
        report.unchanged++;
        continue;
      }
      // The import row exists only once something new is stored, so a re-import leaves no trace.
      importId ??= tx
        .insert(imports)
        .values({ name, filename: basename(input.file), format: opts.origin === 'demo' ? 'demo' : format, origin: opts.origin })
        .returning({ id: imports.id })
        .get().id;
      const text = d.parsed.text;
      const m = d.meta;
      const documentId = Number(
        st.insertDocument.run(sourceId, importId, m.title, m.author, m.published, d.publishedPrecision, d.publishedStart, m.url, m.language, m.notes, d.parsed.origin, text, d.contentHash).lastInsertRowid,
      );
      const documentItemId = Number(st.insertItem.run('document', documentId, null, sourceId, -1, d.contentHash, 0, Math.random()).lastInsertRowid);
      for (const p of segment(text, { sourceName: d.meta.source })) {
        const excluded = p.excluded ? 1 : 0;
        const passageId = Number(st.insertPassage.run(documentId, p.seq, p.start, p.end, p.text, excluded, p.reason, p.excluded ? 'auto' : null, excluded, p.reason).lastInsertRowid);
        st.insertItem.run('passage', documentId, passageId, sourceId, p.seq, sha256(p.text), excluded, Math.random());
        report.passages++;
      }
      addDocumentToRollups(tx, documentId);
      report.documents++;
      const carried = d.parsed.carried;
      if (carried) {
        reviewerId ??= reviewerFor(tx, name);
        const review = tx
          .insert(reviews)
          .values({ itemId: documentItemId, reviewerId, action: 'edit', kind: 'import', codebookId, label: carried.label, stance: carried.stance, themes: carried.themes, importId })
          .returning({ id: reviews.id })
          .get();
        if (carried.themes.length > 0) tx.insert(reviewThemes).values(carried.themes.map((theme) => ({ reviewId: review.id, theme }))).run();
        recomputeReviewState(tx, documentItemId);
        report.labels++;
      }
    }
    if (importId !== null) {
      tx.update(imports).set({ documentsImported: report.documents, documentsUnchanged: report.unchanged, labelsImported: report.labels }).where(eq(imports.id, importId)).run();
      audit(tx, { actor: opts.actor ?? 'local', action: 'import', entityType: 'import', entityId: importId, details: { file: input.file, documents: report.documents, unchanged: report.unchanged, passages: report.passages, labels: report.labels } });
    }
  });
  report.status = report.documents > 0 ? 'imported' : 'unchanged';
  return report;
}

/**
 * Imports one file: parses it, checks every document and label, then stores it in one
 * transaction. Bad input yields a `failed` report with a one-line reason and writes nothing;
 * documents already stored (same source, same content hash) count as unchanged.
 */
export function importFile(db: Db, input: ImportInput, opts: ImportOptions): FileReport {
  try {
    const { format, docs } = parseFile(input, opts);
    const codebookId = validateLabels(db, docs, format);
    return storeFile(db, input, format, docs, codebookId, opts);
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    return { file: input.file, status: 'failed', documents: 0, unchanged: 0, passages: 0, labels: 0, error: `${input.file}: ${e.message}` };
  }
}

/** Sums per-file reports. */
export function totalsOf(files: FileReport[]): ImportTotals {
  const t: ImportTotals = { files: files.length, imported: 0, unchanged: 0, failed: 0, documents: 0, unchangedDocuments: 0, passages: 0, labels: 0 };
  for (const f of files) {
    t[f.status === 'imported' ? 'imported' : f.status === 'unchanged' ? 'unchanged' : 'failed']++;
    t.documents += f.documents;
    t.unchangedDocuments += f.unchanged;
    t.passages += f.passages;
    t.labels += f.labels;
  }
  return t;
}

/**
 * Imports several files, each atomically and independently (one failing never stops the
 * others); each file is read only when its turn comes, so a large folder is never all in memory.
 */
export function importFiles(db: Db, inputs: Iterable<ImportInput>, opts: ImportOptions, onFile?: (report: FileReport, done: number) => void): ImportReport {
  const files: FileReport[] = [];
  for (const input of inputs) {
    const report = importFile(db, input, opts);
    files.push(report);
    onFile?.(report, files.length);
  }
  return { files, totals: totalsOf(files) };
}
