import { z } from 'zod';
import { RowIssueSchema } from './report.ts';
import { COLUMN_ALIASES, MAPPABLE_FIELDS, type ColumnMap, type MappableField } from './columns.ts';
import { isEndMarker } from './exportEnd.ts';
import { IngestError } from './normalize.ts';
import type { ImportSource } from './options.ts';
import { cellString, fileColumns, unreadRow, type RowIssue } from './prepare.ts';
import { formatOf, isRowFormat, SUPPORTED_EXTENSIONS } from './readers.ts';
import { openBytes } from './rows/bytes.ts';
import { rowReader } from './rows/index.ts';
import type { RowFormat } from './rows/types.ts';

/** Rows a preview shows by default, and at most. */
export const PREVIEW_ROWS = 10;
export const MAX_PREVIEW_ROWS = 100;
/** Characters of each cell a preview shows (a long text is cut with an ellipsis). */
export const PREVIEW_CELL_CHARS = 300;

const FieldColumnsSchema = z.object(Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, z.string().nullable()])) as Record<MappableField, z.ZodNullable<z.ZodString>>);

/** What a row-file upload will become, before anything is imported: for the mapping screen. */
export const ColumnPreviewSchema = z
  .object({
    file: z.string(),
    format: z.enum(['csv', 'tsv', 'jsonl', 'json', 'xlsx']),
    /** The columns found: the header, or the keys of the first JSON objects in order of appearance. */
    columns: z.array(z.string()),
    /** The first rows, cell by cell (cut to PREVIEW_CELL_CHARS). */
    rows: z.array(z.record(z.string(), z.string().nullable())),
    /** Rows among those read that could not be read at all. */
    problems: z.array(RowIssueSchema),
    /** The proposed mapping: each field and the column it would read (null: none). */
    mapping: FieldColumnsSchema,
    /** Columns no field reads: kept as document metadata. */
    metadata: z.array(z.string()),
    /** Why the file cannot be imported with this mapping (no text column, an unknown column), else null. */
    error: z.string().nullable(),
    /** The column names each field recognises without a mapping. */
    aliases: z.object(Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, z.array(z.string())])) as Record<MappableField, z.ZodArray<z.ZodString>>),
  })
  .meta({ id: 'ColumnPreview' });
export type ColumnPreview = z.infer<typeof ColumnPreviewSchema>;

const cut = (v: unknown): string | null => {
  const s = cellString(v);
  return s === null || s.length <= PREVIEW_CELL_CHARS ? s : `${s.slice(0, PREVIEW_CELL_CHARS)}…`;
};

/**
 * Reads the first rows of a row file and proposes how its columns map to document fields (the
 * same resolution the import uses: `map` first, then the known column names). Reads only what
 * it shows, so a preview of a 2 GB file costs a few kilobytes; writes nothing.
 */
export async function previewRowFile(source: ImportSource, map: ColumnMap = {}, limit = PREVIEW_ROWS): Promise<ColumnPreview> {
  const format = formatOf(source.file);
  if (format === null || !isRowFormat(format)) throw new IngestError(`${source.file}: a preview is for row files (${SUPPORTED_EXTENSIONS.replace(/\.txt, \.md, \.html, /, '')})`);
  const reader = rowReader(format, openBytes(source.open, source.file, { read: 0 }));
  const rows: Record<string, string | null>[] = [];
  const problems: RowIssue[] = [];
  const columns: string[] = [];
  let firstKeys: string[] | null = null;
  const n = Math.min(Math.max(limit, 1), MAX_PREVIEW_ROWS);
  for await (const row of reader.rows) {
    if (isEndMarker(row)) continue;
    if (row.values === null) problems.push(unreadRow(row).rejected);
    else {
      const keys = reader.header?.names ?? Object.keys(row.values);
      firstKeys ??= keys;
      for (const k of keys) if (!columns.includes(k)) columns.push(k);
      rows.push(Object.fromEntries(keys.map((k) => [k, cut(row.values![k])])));
    }
    if (rows.length + problems.length >= n) break;
  }
  const keys = reader.header?.names ?? firstKeys ?? [];
  if (reader.header) for (const k of reader.header.names) if (!columns.includes(k)) columns.push(k);
  const mapping = Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, null])) as Record<MappableField, string | null>;
  let metadata: string[] = [];
  let error: string | null = null;
  try {
    const cols = fileColumns(keys, map, reader.header ? `${format.toUpperCase()} header` : 'first JSON object', true);
    for (const f of MAPPABLE_FIELDS) mapping[f] = cols.resolved[f] ?? null;
    metadata = cols.metadata ?? [];
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    error = e.message;
    for (const f of MAPPABLE_FIELDS) {
      const explicit = map[f];
      mapping[f] = explicit !== undefined ? (keys.find((k) => k.toLowerCase() === explicit.toLowerCase()) ?? null) : (keys.find((k) => COLUMN_ALIASES[f].includes(k.toLowerCase())) ?? null);
    }
    metadata = keys.filter((k) => !Object.values(mapping).includes(k));
  }
  if (keys.length === 0 && error === null) error = 'no rows to preview (the file is empty)';
  return { file: source.file, format, columns, rows, problems, mapping, metadata, error, aliases: COLUMN_ALIASES };
}
