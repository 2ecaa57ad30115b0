import { parquetMetadata, parquetReadObjects, parquetSchema, type SchemaTree } from 'hyparquet';
import Papa from 'papaparse';
import type { Db } from '../../db/client.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { parseExportQuery } from './request.ts';
import { prepareExport } from './service.ts';
import { END_MARKER, splitEndMarker } from './trailer.ts';

/**
 * Test helpers for exports: run an export to bytes, and read files back with readers that are
 * not the writers' libraries: Parquet with hyparquet (the writer is hyparquet-writer, a separate
 * encoder), CSV with papaparse (the writer is our own RFC 4180 encoder; csv-parse, used by the
 * importer, is not used here), JSONL with JSON.parse line by line.
 */

/** Texts that break naive writers: quotes, separators, newlines, emoji, right-to-left script, formula starts. */
export const TRICKY_TEXTS = [
  'He said "no", then left; a comma, a quote " and a backslash \\ stay.',
  'First line\nsecond line\n\nafter a blank line',
  'Emoji 🇺🇦🕊️ and right-to-left: שלום עולם and مرحبا بالعالم',
  '=HYPERLINK("http://evil.example","click")',
  '+7 495 123 45 67 is a phone number',
  '-the dash that starts this passage',
  '@mention at the start',
  '\tstarts with a tab',
  '\rstarts with a carriage return',
] as const;

/** Formula starts that hide behind whitespace, full-width forms or an apostrophe the text really has. */
export const HIDDEN_FORMULA_TEXTS = [' =1+1 after a space', '\n=cmd after a line break', '＝HYPERLINK("http://evil.example") in full width', "'=already starts with an apostrophe", "'plain apostrophe stays"] as const;

/** One source with one document whose passages are TRICKY_TEXTS, plus a second, plainer source. */
export function seedTricky(db: Db) {
  return seedCorpus(db, [
    { name: 'Outlet "A", Ltd', documents: [{ title: 'Tricky, "quoted" title', published: '2024-10-15', passages: TRICKY_TEXTS.map((text) => ({ text })) }] },
    {
      name: 'Outlet B',
      documents: [
        {
          title: 'Plain',
          published: '2022-07',
          passages: [{ text: 'A plain passage.' }, { text: 'Please donate today.', excluded: true, reason: 'donation' }],
        },
      ],
    },
  ]);
}

/** Runs an export from raw query parameters and returns its bytes, row count and empty reason. */
export function exportBytes(db: Db, query: Record<string, string>): { bytes: Buffer; total: number; emptyReason: string | null; fileName: string } {
  const job = prepareExport(db, parseExportQuery(query), () => new Date('2026-01-15T12:00:00Z'));
  return { bytes: Buffer.concat([...job.chunks()]), total: job.plan.total, emptyReason: job.plan.emptyReason, fileName: job.fileName };
}

/** A Parquet file read back: rows as plain objects (INT64 as bigint), its column types and its row count from the footer. */
export interface ParquetRead {
  rows: Record<string, unknown>[];
  /** Top-level column name → type, in file order: `INT64`, `DOUBLE`, `BOOLEAN`, `STRING`, `LIST<STRING>` ... */
  types: Record<string, string>;
  numRows: number;
}

/**
 * Names a column's Parquet type from its schema: a leaf is its physical type, `STRING` for a
 * BYTE_ARRAY annotated UTF8/STRING (any other annotation is spelt out); a group is `LIST<...>`
 * only in the standard three-level list layout (LIST-annotated optional group, one repeated
 * group, one element), otherwise `GROUP(...)`.
 */
function parquetType(node: SchemaTree): string {
  const e = node.element;
  if (node.children.length === 0) {
    const annotation = e.logical_type?.type ?? e.converted_type;
    if (e.type === 'BYTE_ARRAY' && (annotation === 'UTF8' || annotation === 'STRING')) return 'STRING';
    return annotation === undefined ? String(e.type) : `${String(e.type)} (${String(annotation)})`;
  }
  const repeated = node.children[0];
  const isList =
    (e.converted_type === 'LIST' || e.logical_type?.type === 'LIST') &&
    node.children.length === 1 &&
    repeated !== undefined &&
    repeated.element.repetition_type === 'REPEATED' &&
    repeated.children.length === 1;
  if (isList) return `LIST<${parquetType(repeated.children[0]!)}>`;
  return `GROUP(${node.children.map((c) => `${c.element.name}: ${parquetType(c)}`).join(', ')})`;
}

/** Reads a Parquet file with hyparquet: every row, the column types from the schema, and the row count the footer declares. */
export async function readParquet(bytes: Uint8Array): Promise<ParquetRead> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const types = Object.fromEntries(parquetSchema(metadata).children.map((c) => [c.element.name, parquetType(c)]));
  const rows = await parquetReadObjects({ file, metadata });
  return { rows: rows.map((r) => ({ ...r })), types, numRows: Number(metadata.num_rows) };
}

/** A CSV file read back: the header in order, and each record as strings by column name (an empty cell is ''). */
export interface CsvRead {
  header: string[];
  rows: Record<string, string>[];
}

/**
 * Reads an RFC 4180 CSV (comma, double quote doubled to escape, CRLF records) with papaparse,
 * strictly: malformed UTF-8, a lone CR or LF outside quotes, any parse error, a duplicate header or
 * a record whose field count differs from the header's throws. A UTF-8 byte order mark is skipped.
 * The export's end marker must be the last record and count the rows; it is not returned.
 */
export function readCsv(bytes: Uint8Array): CsvRead {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  // papaparse takes a lone CR or LF outside quotes as data; RFC 4180 wants such a field quoted.
  // Outside quotes means after an even number of '"' (an escaped quote is two).
  let quotes = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quotes += 1;
    else if (quotes % 2 === 0 && ((ch === '\r' && text[i + 1] !== '\n') || (ch === '\n' && text[i - 1] !== '\r'))) {
      throw new Error(`CSV has an unquoted line break that is not CRLF at offset ${i}`);
    }
  }
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', quoteChar: '"', escapeChar: '"', newline: '\r\n', header: false, dynamicTyping: false, skipEmptyLines: false });
  if (parsed.errors.length > 0) throw new Error(`CSV does not parse: ${parsed.errors.map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);
  const records = parsed.data;
  // A final CRLF ends the last record; papaparse reports the empty remainder as one more record of one empty field.
  const last = records[records.length - 1];
  if (text.endsWith('\r\n') && last?.length === 1 && last[0] === '') records.pop();
  const header = records.shift();
  if (header === undefined) throw new Error('CSV has no header');
  if (new Set(header).size !== header.length) throw new Error(`CSV header repeats a column: ${header.join(',')}`);
  const rows = records.map((record, i) => {
    if (record.length !== header.length) throw new Error(`CSV record ${i + 1} has ${record.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((name, j) => [name, record[j]!]));
  });
  const { data, problem } = splitEndMarker(rows, (r) => r.framescope_export, (r) => r.item_id);
  if (problem) throw new Error(problem);
  if (rows.at(-1)!.framescope_export === END_MARKER && Object.entries(rows.at(-1)!).some(([k, v]) => k !== 'framescope_export' && k !== 'item_id' && v !== '')) {
    throw new Error('the CSV end marker has cells other than framescope_export and item_id');
  }
  return { header, rows: data };
}

/** Reads a JSONL export: one JSON object per line, each line parsed on its own; the end marker must come last and count the rows, and is not returned. */
export function readJsonl(bytes: Uint8Array): Record<string, unknown>[] {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (!text.endsWith('\n')) throw new Error('JSONL does not end with a newline');
  const lines = text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`JSONL line ${i + 1} is not an object`);
      return value as Record<string, unknown>;
    });
  const { data, problem } = splitEndMarker(lines, (r) => r.framescope_export, (r) => r.rows);
  if (problem) throw new Error(problem);
  return data;
}

/** A CSV integer cell as a number; throws on anything else (the SQL CAST the tests used to do). */
export function csvInt(cell: string | undefined): number {
  if (cell === undefined || !/^-?\d+$/.test(cell)) throw new Error(`not an integer: ${JSON.stringify(cell)}`);
  return Number(cell);
}

/** Sorts rows by a key (number, bigint or string compared by code units), like ORDER BY; a copy, the input is kept. */
export function orderBy<T>(rows: readonly T[], key: (row: T) => number | bigint | string): T[] {
  return [...rows].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** A small labelled corpus: model-only, reviewed, bulk-accepted, disputed and unlabelled items. */
export function seedLabelled(db: Db) {
  const docs = seedTricky(db);
  const a = docs[0]!;
  const b = docs[1]!;
  const p = a.passageItemIds;
  addSuggestion(db, p[0]!, { label: 'critical', stance: -2, themes: ['sovereignty', 'sanctions'], confidence: 0.9, model: 'model-x', promptVersion: 'passage-v2' });
  addSuggestion(db, p[1]!, { label: 'analytical', stance: 0, themes: ['union-state'] });
  addReview(db, p[1]!, { reviewer: 'ann', action: 'edit', label: 'integrationist', stance: 1, themes: ['union-state', 'sovereignty'] });
  addSuggestion(db, p[2]!, { label: 'analytical', stance: 0, themes: [] });
  addReview(db, p[2]!, { reviewer: 'bob', action: 'accept', label: 'analytical', stance: 0, themes: [], kind: 'bulk' });
  addSuggestion(db, p[3]!, { label: 'critical', stance: -1 });
  addReview(db, p[3]!, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1 });
  addReview(db, p[3]!, { reviewer: 'bob', action: 'edit', label: 'analytical', stance: 0 });
  addSuggestion(db, b.passageItemIds[0]!, { label: 'integrationist', stance: 2, themes: ['economic-integration'] });
  addSuggestion(db, a.itemId, { label: 'critical', stance: -1, themes: ['ukraine-war'] });
  addReview(db, a.itemId, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1, themes: ['ukraine-war'] });
  return { docs, a, b };
}
