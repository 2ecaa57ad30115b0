import type { z } from 'zod';
import type { RowIssueSchema } from './report.ts';
import { EXPORT_MARKER_COLUMN, METADATA_COLUMN, metadataColumns, resolveColumns, type ColumnMap, type MappableField, type ResolvedColumns } from './columns.ts';
import type { PublishedDate } from './dates.ts';
import type { FileDates } from './fileDates.ts';
import type { LabelChecker } from './labels.ts';
import { restoreFormula } from '../export/spreadsheet.ts';
import { normalizeLineEndings, sha256, singleLine, stripNul, visibleNul } from './normalize.ts';
import type { CarriedLabel, DocumentMeta } from './readers.ts';
import type { RawRow, RowError } from './rows/types.ts';
import { webUrlProblem } from './webUrl.ts';

/** Source name for documents whose file, manifest, row and flags name none. */
export const UNATTRIBUTED_SOURCE = 'Unattributed';

/** A rejected row or a warning, as reported and stored (`import_issues`): 1-based line (or sheet row), null for file-level warnings. */
export type RowIssue = z.infer<typeof RowIssueSchema>;

/** One document ready to store: final metadata, parsed date, carried label, hash. */
export interface PreparedDocument {
  line: number | null;
  text: string;
  origin: string;
  title: string;
  source: string;
  author: string | null;
  url: string | null;
  language: string | null;
  country: string | null;
  notes: string | null;
  published: PublishedDate | null;
  publishedRaw: string | null;
  externalId: string | null;
  metadata: Record<string, string> | null;
  carried: CarriedLabel | null;
  contentHash: string;
}

/** What a row became: a document (with any warnings about it) or a rejection. */
export type PreparedRow = { doc: PreparedDocument; warnings: RowIssue[] } | { rejected: RowIssue };

/** A row's reject or warning as reported and stored: NUL characters of a quoted value or column name shown as ␀ (visibleNul). */
export function rowIssue(line: number | null, column: string | null, reason: string): RowIssue {
  return { line, column: column === null ? null : visibleNul(column), reason: visibleNul(reason) };
}

/** The reject of a row its reader could not read. */
export function unreadRow(row: RawRow): { rejected: RowIssue } {
  return { rejected: rowIssue(row.line, row.error?.column ?? null, row.error?.reason ?? 'row could not be read') };
}

/** Metadata fields single-line cleaning applies to (notes keep their line breaks). */
const META_FIELDS = ['title', 'author', 'source', 'url', 'language', 'country', 'notes'] as const;

/** A cell as a string: JSON values other than strings as their JSON text; null when empty. */
export function cellString(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return s.trim() === '' ? null : s;
}

function themeList(themes: unknown, fromJson: boolean): string[] | RowError {
  if (themes === undefined || themes === null || themes === '') return [];
  if (Array.isArray(themes)) return themes.map((x) => String(x).trim()).filter(Boolean);
  if (typeof themes !== 'string') return { column: 'themes', reason: 'themes must be a list' };
  const raw = themes.trim();
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.map((x) => String(x).trim()).filter(Boolean);
    } catch {
      if (fromJson) return { column: 'themes', reason: 'themes is not a JSON array' };
    }
  }
  return raw
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** The label, stance and themes a row carries; null when it carries none. */
export function carriedLabel(get: (f: MappableField) => unknown, fromJson: boolean): CarriedLabel | null | RowError {
  const label = cellString(get('label'));
  const stance = cellString(get('stance'));
  const themes = themeList(get('themes'), fromJson);
  if (!Array.isArray(themes)) return themes;
  if (label === null) {
    if (stance !== null || themes.length > 0) return { column: 'label', reason: 'stance or themes given without a label' };
    return null;
  }
  let stanceValue: number | null = null;
  if (stance !== null) {
    stanceValue = Number(stance);
    if (!Number.isInteger(stanceValue)) return { column: 'stance', reason: `stance "${stance}" is not an integer` };
  }
  return { label: singleLine(label), stance: stanceValue, themes: [...new Set(themes)] };
}


/** How the rows of one file become documents. */
export interface RowContext {
  fileName: string;
  /** JSON rows (JSONL, JSON array): themes may be JSON arrays and nested values stay JSON. */
  json: boolean;
  /** CSV: a Framescope export's cells carry the writer's formula-neutralising apostrophe, removed here. */
  csv: boolean;
  /** Metadata from flags or the upload form (wins), and from the folder's manifest. */
  meta: DocumentMeta;
  manifest: DocumentMeta | null;
  dates: FileDates;
  labels: LabelChecker;
}

/** Column resolution of a file, settled on its first row. */
export interface FileColumns {
  resolved: ResolvedColumns;
  fromExport: boolean;
  /** Header columns kept as metadata (CSV, TSV, XLSX); JSON rows compute theirs per row. */
  metadata: string[] | null;
}

/** Resolves a file's columns from its header (or its first JSON object's keys). */
export function fileColumns(keys: string[], map: ColumnMap, what: string, fixedHeader: boolean): FileColumns {
  const resolved = resolveColumns(keys, map, what);
  const fromExport = keys.some((k) => k.trim().toLowerCase() === EXPORT_MARKER_COLUMN);
  return { resolved, fromExport, metadata: fixedHeader ? metadataColumns(keys, resolved, fromExport) : null };
}

function rowMetadata(values: Record<string, unknown>, cols: FileColumns): Record<string, string> | null {
  const out: Record<string, string> = {};
  let n = 0;
  if (cols.fromExport) {
    const exported = cellString(values[METADATA_COLUMN]);
    if (exported !== null) {
      try {
        const parsed: unknown = JSON.parse(exported);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          for (const [k, v] of Object.entries(parsed)) {
            const s = cellString(v);
            if (s !== null) (out[stripNul(k).text] = stripNul(s).text), n++;
          }
        }
      } catch {
        // Not our JSON after all: the column is then kept like any other.
        (out[METADATA_COLUMN] = stripNul(exported).text), n++;
      }
    }
  }
  const keys = cols.metadata ?? metadataColumns(Object.keys(values), cols.resolved, cols.fromExport);
  for (const k of keys) {
    const s = cellString(values[k]);
    if (s !== null) (out[stripNul(k).text] = stripNul(s).text), n++;
  }
  return n > 0 ? out : null;
}

/**
 * Turns one read row into a document: picks each field (flags, then manifest, then the row),
 * cleans it (NUL characters removed from the text; single-line fields lose control characters
 * and newlines), reads the date (an unreadable one is kept raw with a warning), checks the
 * carried label against the active codebook, and keeps unmapped columns as metadata.
 */
export async function prepareRow(row: RawRow, cols: FileColumns, ctx: RowContext): Promise<PreparedRow> {
  if (row.values === null) return unreadRow(row);
  const values = cols.fromExport && ctx.csv ? Object.fromEntries(Object.entries(row.values).map(([k, v]) => [k, typeof v === 'string' ? restoreFormula(v) : v])) : row.values;
  const get = (f: MappableField): unknown => {
    const col = cols.resolved[f];
    return col === undefined ? undefined : values[col];
  };
  const reject = (column: string | null, reason: string): PreparedRow => ({ rejected: rowIssue(row.line, column, reason) });
  const warnings: RowIssue[] = [];
  const rawText = cellString(get('text'));
  if (rawText === null) return reject(cols.resolved.text!, 'no text');
  const { text, removed } = stripNul(normalizeLineEndings(rawText));
  if (!/\S/u.test(text)) return reject(cols.resolved.text!, 'no text');
  if (removed > 0) warnings.push(rowIssue(row.line, cols.resolved.text!, `${removed} NUL characters removed from the text`));

  const pick = (k: (typeof META_FIELDS)[number] | 'published'): string | null => {
    const v = ctx.meta[k] ?? ctx.manifest?.[k] ?? cellString(get(k));
    if (v === null || v === undefined) return null;
    const clean = k === 'notes' ? stripNul(normalizeLineEndings(v)).text.trim() : singleLine(v);
    return clean === '' ? null : clean;
  };
  const carried = carriedLabel(get, ctx.json);
  if (carried !== null && 'reason' in carried) return reject(cols.resolved[carried.column as MappableField] ?? carried.column, carried.reason);
  if (carried) {
    const bad = ctx.labels.check(carried);
    if (bad) return reject(cols.resolved[bad.column as MappableField] ?? bad.column, bad.reason);
  }
  const publishedRaw = pick('published');
  let published: PublishedDate | null = null;
  if (publishedRaw !== null) {
    const read = await ctx.dates.read(publishedRaw);
    published = read.date;
    if (read.warning) warnings.push(rowIssue(row.line, cols.resolved.published ?? 'published', read.warning));
  }
  const url = pick('url');
  const urlProblem = url === null ? null : webUrlProblem(url);
  if (urlProblem) return reject(cols.resolved.url ?? 'url', urlProblem);
  const id = cellString(get('id'));
  return {
    doc: {
      line: row.line,
      text,
      origin: `${ctx.fileName}#line ${row.line}`,
      title: pick('title') ?? `${ctx.fileName} line ${row.line}`,
      source: pick('source') ?? UNATTRIBUTED_SOURCE,
      author: pick('author'),
      url,
      language: pick('language'),
      country: pick('country'),
      notes: pick('notes'),
      published,
      publishedRaw,
      externalId: id === null ? null : singleLine(id) || null,
      metadata: rowMetadata(values, cols),
      carried,
      contentHash: sha256(text),
    },
    warnings,
  };
}
