import { basename, extname } from 'node:path';
import type { RowFormat } from './rows/types.ts';
import { IngestError } from './normalize.ts';

/** The file formats the import reads (the `imports.format` values, less `demo`). */
export type FileFormat = 'text' | 'markdown' | 'html' | RowFormat;

/** Metadata a document may carry; every field optional until the import fills defaults. */
export interface DocumentMeta {
  title?: string | null;
  author?: string | null;
  source?: string | null;
  published?: string | null;
  url?: string | null;
  language?: string | null;
  country?: string | null;
  notes?: string | null;
}

/** A label that arrived with a row (stored as a review by the named import). */
export interface CarriedLabel {
  label: string;
  stance: number | null;
  themes: string[];
}

/** One document read from a single-document file (text, Markdown, HTML), before it is stored. */
export interface ParsedDocument extends DocumentMeta {
  text: string;
  /** Where it came from: the file name. */
  origin: string;
}

/** Extensions of each format; a row format may also be gzipped (`.csv.gz`). */
const EXTENSIONS: Record<string, FileFormat> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.xlsx': 'xlsx',
};

/** Extensions named in messages about unsupported files. */
export const SUPPORTED_EXTENSIONS = '.txt, .md, .html, .csv, .tsv, .jsonl, .json, .xlsx (row files also as .gz)';

/** The format a file name implies (`.csv.gz` is CSV), or null when it is not one the import reads. */
export function formatOf(fileName: string): FileFormat | null {
  const lower = fileName.toLowerCase();
  const gz = lower.endsWith('.gz');
  const name = gz ? lower.slice(0, -3) : lower;
  const format = EXTENSIONS[extname(name)] ?? null;
  if (gz && (format === null || format === 'text' || format === 'markdown' || format === 'html' || format === 'xlsx')) return null;
  return format;
}

/** Whether a format holds one document per row (streamed) rather than one per file. */
export function isRowFormat(format: FileFormat): format is RowFormat {
  return format === 'csv' || format === 'tsv' || format === 'jsonl' || format === 'json' || format === 'xlsx';
}

/** A text or Markdown file: one document, title from the first heading or line unless given. */
export function readTextFile(fileName: string, text: string, format: 'text' | 'markdown'): ParsedDocument {
  if (!/\S/u.test(text)) throw new IngestError('no text (the file holds only whitespace)');
  const firstLine = text.trim().split('\n', 1)[0]!.trim();
  const heading = format === 'markdown' ? /^#{1,6}\s+(.+?)\s*#*$/.exec(firstLine)?.[1] : undefined;
  const title = heading ?? (firstLine.length <= 200 ? firstLine : basename(fileName, extname(fileName)));
  return { text, title, origin: fileName };
}
