import { basename, extname } from 'node:path';
import { Readability } from '@mozilla/readability';
import { JSDOM } from 'jsdom';
import { CsvReadError, readCsvRecords, type CsvRecords } from '../export/csvRecords.ts';
import { END_MARKER, endMarkerProblem, hasEndMarker } from '../export/trailer.ts';
import { IngestError, normalizeLineEndings } from './normalize.ts';

/** The file formats the import reads (the `imports.format` values, less `demo`). */
export type FileFormat = 'text' | 'markdown' | 'html' | 'csv' | 'jsonl';

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

/** One document read from a file, before it is stored. */
export interface ParsedDocument extends DocumentMeta {
  text: string;
  /** Where in the file it came from: the file name, or `file.csv#row 3`. */
  origin: string;
  /** 1-based row or line, for messages about row files; null for whole-file documents. */
  row: number | null;
  carried: CarriedLabel | null;
}

/** The document fields a CSV/JSONL column can map to. */
export const MAPPABLE_FIELDS = ['text', 'title', 'author', 'source', 'published', 'url', 'language', 'country', 'notes', 'label', 'stance', 'themes'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export type ColumnMap = Partial<Record<MappableField, string>>;

/**
 * Column names recognised without a mapping, first match wins. Includes the names of
 * Framescope's own document export, so an exported file imports back with its labels.
 */
const COLUMN_ALIASES: Record<MappableField, string[]> = {
  text: ['text', 'content', 'body'],
  title: ['title', 'headline', 'document_title'],
  author: ['author', 'document_author'],
  source: ['source', 'outlet', 'source_name'],
  published: ['published', 'date', 'document_published'],
  url: ['url', 'link', 'document_url'],
  language: ['language', 'lang', 'document_language'],
  country: ['source_country', 'country'],
  notes: ['notes'],
  label: ['label', 'final_label'],
  stance: ['stance', 'final_stance'],
  themes: ['themes', 'final_themes'],
};

/** The format a file name implies, or null when it is not one the import reads. */
export function formatOf(fileName: string): FileFormat | null {
  switch (extname(fileName).toLowerCase()) {
    case '.txt':
    case '.text':
      return 'text';
    case '.md':
    case '.markdown':
      return 'markdown';
    case '.html':
    case '.htm':
      return 'html';
    case '.csv':
      return 'csv';
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    default:
      return null;
  }
}

/** Parses `--map text=content,title=headline` into a ColumnMap; throws on unknown fields. */
export function parseColumnMap(spec: string | undefined): ColumnMap {
  const map: ColumnMap = {};
  if (!spec) return map;
  for (const pair of spec.split(',')) {
    if (!pair.trim()) continue;
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim() as MappableField;
    const column = pair.slice(eq + 1).trim();
    if (eq < 1 || !column) throw new IngestError(`--map entry "${pair}" is not field=column`);
    if (!MAPPABLE_FIELDS.includes(field)) throw new IngestError(`--map field "${field}" is unknown (use ${MAPPABLE_FIELDS.join(', ')})`);
    map[field] = column;
  }
  return map;
}

function hasText(s: string): boolean {
  return /\S/u.test(s);
}

/** A text or Markdown file: one document, title from the first heading or line unless given. */
export function readTextFile(fileName: string, text: string, format: 'text' | 'markdown'): ParsedDocument {
  if (!hasText(text)) throw new IngestError('no text (the file holds only whitespace)');
  const firstLine = text.trim().split('\n', 1)[0]!.trim();
  const heading = format === 'markdown' ? /^#{1,6}\s+(.+?)\s*#*$/.exec(firstLine)?.[1] : undefined;
  const title = heading ?? (firstLine.length <= 200 ? firstLine : basename(fileName, extname(fileName)));
  return { text, title, origin: fileName, row: null, carried: null };
}

const BLOCK_TAGS = new Set(['P', 'DIV', 'SECTION', 'ARTICLE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'PRE', 'FIGCAPTION', 'TR', 'TABLE', 'UL', 'OL', 'HEADER', 'FOOTER', 'ASIDE', 'MAIN', 'FIGURE', 'DL', 'DT', 'DD', 'HR']);
const DROPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'SVG', 'OBJECT', 'HEAD']);

/** Text of a DOM subtree with a blank line between block elements and a newline for <br>. */
function blockText(root: Node): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      parts.push((node.nodeValue ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (DROPPED_TAGS.has(tag)) return;
    if (tag === 'BR') {
      parts.push('\n');
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) parts.push('\n\n');
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) parts.push('\n\n');
  };
  walk(root);
  return parts
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * An HTML file: the main text as Readability extracts it, paragraphs separated by blank
 * lines; scripts and styles never become text. Falls back to the whole body when Readability
 * finds no article (short pages).
 */
export function readHtmlFile(fileName: string, html: string): ParsedDocument {
  // No scripts run and no resources load: JSDOM's defaults, stated because documents are untrusted.
  const dom = new JSDOM(html, { runScripts: undefined, resources: undefined });
  const doc = dom.window.document;
  const metaTitle = doc.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? doc.title;
  const metaAuthor = doc.querySelector('meta[name="author"]')?.getAttribute('content') ?? null;
  const metaPublished = doc.querySelector('meta[property="article:published_time"]')?.getAttribute('content') ?? null;
  const lang = doc.documentElement.getAttribute('lang');
  const body = doc.body ? blockText(doc.body) : '';
  let text = '';
  let title = metaTitle?.trim() || null;
  const article = new Readability(doc.cloneNode(true) as Document).parse();
  if (article?.content) {
    const inner = new JSDOM(`<body>${article.content}</body>`).window.document.body;
    text = blockText(inner);
    title = title ?? article.title ?? null;
  }
  if (!hasText(text)) text = body;
  dom.window.close();
  if (!hasText(text)) throw new IngestError('HTML has no text outside scripts and styles');
  return {
    text: normalizeLineEndings(text),
    title: title ?? basename(fileName, extname(fileName)),
    author: metaAuthor,
    published: metaPublished ? metaPublished.slice(0, 10) : null,
    language: lang ? lang.slice(0, 2) : null,
    origin: fileName,
    row: null,
    carried: null,
  };
}

/** Resolves each field to the column it reads from: the explicit map first, then the aliases. */
function resolveColumns(header: string[], map: ColumnMap, what: string): Partial<Record<MappableField, string>> {
  const lower = new Map(header.map((h) => [h.trim().toLowerCase(), h]));
  const resolved: Partial<Record<MappableField, string>> = {};
  for (const field of MAPPABLE_FIELDS) {
    const explicit = map[field];
    if (explicit !== undefined) {
      const col = lower.get(explicit.trim().toLowerCase());
      if (col === undefined) throw new IngestError(`--map ${field}=${explicit}: no column "${explicit}" in the ${what} (columns: ${header.join(', ')})`);
      resolved[field] = col;
      continue;
    }
    const alias = COLUMN_ALIASES[field].find((a) => lower.has(a));
    if (alias !== undefined) resolved[field] = lower.get(alias)!;
  }
  if (resolved.text === undefined) {
    throw new IngestError(`no text column in the ${what} (looked for ${COLUMN_ALIASES.text.join(', ')}; columns: ${header.join(', ') || 'none'}); use --map text=<column>`);
  }
  return resolved;
}

function cellString(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return s.trim() === '' ? null : s;
}

function carriedLabel(where: string, label: unknown, stance: unknown, themes: unknown, themesFromCsv: boolean): CarriedLabel | null {
  const l = cellString(label);
  const s = cellString(stance);
  let t: string[] = [];
  if (Array.isArray(themes)) t = themes.map((x) => String(x).trim()).filter(Boolean);
  else if (typeof themes === 'string' && themes.trim() !== '') {
    const raw = themes.trim();
    if (!themesFromCsv && raw.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed)) t = parsed.map((x) => String(x).trim()).filter(Boolean);
      } catch {
        throw new IngestError(`${where}: themes is not a JSON array`);
      }
    } else {
      t = raw.split('|').map((x) => x.trim()).filter(Boolean);
    }
  } else if (themes !== undefined && themes !== null && themes !== '') {
    throw new IngestError(`${where}: themes must be a list`);
  }
  if (l === null) {
    if (s !== null || t.length > 0) throw new IngestError(`${where}: stance or themes given without a label`);
    return null;
  }
  let stanceValue: number | null = null;
  if (s !== null) {
    stanceValue = Number(s);
    if (!Number.isInteger(stanceValue)) throw new IngestError(`${where}: stance "${s}" is not an integer`);
  }
  return { label: l.trim(), stance: stanceValue, themes: [...new Set(t)] };
}

function rowDocument(fileName: string, where: string, row: number, get: (f: MappableField) => unknown, fromCsv: boolean): ParsedDocument {
  const text = cellString(get('text'));
  if (text === null) throw new IngestError(`${where}: no text`);
  const str = (f: MappableField) => cellString(get(f))?.trim() ?? null;
  return {
    text: normalizeLineEndings(text),
    title: str('title'),
    author: str('author'),
    source: str('source'),
    published: str('published'),
    url: str('url'),
    language: str('language'),
    country: str('country'),
    notes: str('notes'),
    origin: `${fileName}#${where}`,
    row,
    carried: carriedLabel(where, get('label'), get('stance'), get('themes'), fromCsv),
  };
}

/**
 * A CSV file, one document per row. The header names the columns (see COLUMN_ALIASES, or
 * `map`). Every row must have as many fields as the header. A file from Framescope's own
 * export (a `framescope_export` column) gets its formula-neutralising quotes removed, and must
 * end with its end marker: a file cut short is refused whole.
 */
export function readCsvFile(fileName: string, text: string, map: ColumnMap): ParsedDocument[] {
  let csv: CsvRecords;
  try {
    csv = readCsvRecords(text);
  } catch (e) {
    throw e instanceof CsvReadError ? new IngestError(e.message) : e;
  }
  const { header, rows } = csv;
  const cols = resolveColumns(header, map, 'CSV header');
  const index = new Map(header.map((h, i) => [h, i]));
  if (rows.length === 0) throw new IngestError('no documents (the CSV has a header but no rows)');
  const docs: ParsedDocument[] = [];
  for (let r = 1; r <= rows.length; r++) {
    const rec = rows[r - 1]!;
    const where = `row ${r}`;
    if (rec.length !== header.length) throw new IngestError(`${where} has ${rec.length} fields but the header has ${header.length}`);
    const get = (f: MappableField): unknown => {
      const col = cols[f];
      if (col === undefined) return undefined;
      return rec[index.get(col)!]!;
    };
    docs.push(rowDocument(fileName, where, r, get, true));
  }
  return docs;
}

/** A JSONL file, one JSON object per line (blank lines skipped); columns resolved from the first object's keys and `map`. */
export function readJsonlFile(fileName: string, text: string, map: ColumnMap): ParsedDocument[] {
  const docs: ParsedDocument[] = [];
  let cols: Partial<Record<MappableField, string>> | null = null;
  // A Framescope export (layout 2 on) ends with an end marker line; a file without one was cut short.
  let exportVersion: unknown;
  let marker: { rows: unknown; line: number } | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!hasText(line)) continue;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new IngestError(`${where} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new IngestError(`${where} is not a JSON object`);
    const obj = value as Record<string, unknown>;
    exportVersion ??= obj.framescope_export ?? null;
    if (marker) throw new IngestError(`${where} comes after the export's end marker (line ${marker.line})`);
    if (typeof exportVersion === 'string' && obj.framescope_export === END_MARKER) {
      marker = { rows: obj.rows, line: i + 1 };
      continue;
    }
    cols ??= resolveColumns(Object.keys(obj), map, 'first JSONL object');
    const resolved = cols;
    docs.push(rowDocument(fileName, where, i + 1, (f) => (resolved[f] === undefined ? undefined : obj[resolved[f]!]), false));
  }
  if (typeof exportVersion === 'string' && hasEndMarker(exportVersion)) {
    const problem = endMarkerProblem(marker !== null, marker?.rows, docs.length);
    if (problem) throw new IngestError(problem);
  }
  if (docs.length === 0) throw new IngestError('no documents (the file holds only blank lines)');
  return docs;
}
