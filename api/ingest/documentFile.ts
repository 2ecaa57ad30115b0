import { basename, extname } from 'node:path';
import type { Db } from '../../db/client.ts';
import { FileDates } from './fileDates.ts';
import { readHtmlFile } from './html.ts';
import type { ImportOptions, ImportSource } from './options.ts';
import { importNameOf, type FileReport } from './report.ts';
import { LabelChecker } from './labels.ts';
import { decodeText, IngestError, MAX_FILE_BYTES, sha256, singleLine, stripNul, tooLargeMessage } from './normalize.ts';
import { UNATTRIBUTED_SOURCE, type PreparedDocument, type RowIssue } from './prepare.ts';
import { readTextFile, type DocumentMeta, type FileFormat, type ParsedDocument } from './readers.ts';
import { ImportWriter } from './store.ts';
import { webUrlProblem } from './webUrl.ts';

/** Reads a whole file, refusing it as soon as it passes MAX_FILE_BYTES (so a huge file is never held). */
async function readLimited(source: ImportSource): Promise<Uint8Array> {
  if (source.size !== undefined && source.size > MAX_FILE_BYTES) throw new IngestError(tooLargeMessage(source.size));
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = source.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_FILE_BYTES) throw new IngestError(tooLargeMessage(source.size ?? total));
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** The document of a single-document file with its final metadata (flags, then manifest, then the file). */
async function prepared(parsed: ParsedDocument, source: ImportSource, opts: ImportOptions, warnings: RowIssue[]): Promise<PreparedDocument> {
  const pick = (k: keyof DocumentMeta): string | null => {
    const v = opts.meta?.[k] ?? source.manifest?.[k] ?? parsed[k] ?? null;
    if (v === null || v === undefined) return null;
    const clean = k === 'notes' ? stripNul(v).text.trim() : singleLine(v);
    return clean === '' ? null : clean;
  };
  const { text, removed } = stripNul(parsed.text);
  if (removed > 0) warnings.push({ line: null, column: null, reason: `${removed} NUL characters removed from the text` });
  if (!/\S/u.test(text)) throw new IngestError('no text');
  const url = pick('url');
  const urlProblem = url === null ? null : webUrlProblem(url);
  if (urlProblem) throw new IngestError(urlProblem);
  const publishedRaw = pick('published');
  const dates = new FileDates(opts.dateOrder ?? null, async () => ({ mdy: 0, dmy: 0 }));
  const read = publishedRaw === null ? null : await dates.read(publishedRaw);
  if (read?.warning) warnings.push({ line: null, column: 'published', reason: read.warning });
  warnings.push(...dates.fileWarnings.map((reason) => ({ line: null, column: 'published', reason })));
  return {
    line: null,
    text,
    origin: parsed.origin,
    title: pick('title') ?? basename(source.file, extname(source.file)),
    source: pick('source') ?? UNATTRIBUTED_SOURCE,
    author: pick('author'),
    url,
    language: pick('language'),
    country: pick('country'),
    notes: pick('notes'),
    published: read?.date ?? null,
    publishedRaw,
    externalId: null,
    metadata: null,
    carried: null,
    contentHash: sha256(text),
  };
}

/**
 * A text, Markdown or HTML file: one document, stored in one transaction (all of it or, on any
 * error, nothing). Bad input throws IngestError with a one-line reason.
 */
export async function importDocumentFile(db: Db, source: ImportSource, format: Exclude<FileFormat, 'csv' | 'tsv' | 'jsonl' | 'json' | 'xlsx'>, opts: ImportOptions): Promise<FileReport> {
  const bytes = await readLimited(source);
  const text = decodeText(bytes);
  const name = basename(source.file);
  const parsed = format === 'html' ? readHtmlFile(name, text) : readTextFile(name, text, format);
  const warnings: RowIssue[] = [];
  const doc = await prepared(parsed, source, opts, warnings);
  const now = opts.now ?? (() => new Date());
  const writer = new ImportWriter(
    db,
    {
      name: importNameOf(source.file, opts.importName),
      filename: name,
      format: opts.origin === 'demo' ? 'demo' : format,
      origin: opts.origin,
      path: source.file,
      fileSize: bytes.length,
      fingerprint: null,
      optionsHash: null,
      actor: opts.actor ?? 'local',
      gold: opts.gold ?? false,
      evaluationOnly: opts.evaluationOnly ?? false,
    },
    () => new LabelChecker(db).codebookId(),
    now,
    null,
  );
  writer.add(doc);
  for (const w of warnings) writer.issue('warning', w);
  writer.commit(1, bytes.length, 'complete');
  const c = writer.counts;
  return {
    file: source.file,
    status: c.documents > 0 ? 'imported' : 'unchanged',
    rows: 1,
    documents: c.documents,
    unchanged: c.unchanged,
    passages: c.passages,
    labels: 0,
    attachedLabels: 0,
    duplicates: c.duplicates,
    rejected: 0,
    rejects: [],
    warningCount: warnings.length,
    warnings,
    importId: writer.importId,
  };
}
