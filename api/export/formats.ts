import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { CSV_LIST_SEPARATOR, type ExportColumn, type ExportFormat, type ExportRow, type ExportValue } from './columns.ts';
import { neutraliseFormula } from './spreadsheet.ts';
import { csvTrailer, jsonlTrailer } from './trailer.ts';

/**
 * Encoders from rows to file bytes. Each is a generator that pulls rows one at a time and
 * yields chunks of about CHUNK_BYTES, so the consumer (a file, an HTTP body, a zip entry)
 * sets the pace and at most one chunk (CSV, JSONL) or one row group (Parquet) is in memory.
 */

const CHUNK_CHARS = 64 * 1024; // 64 KiB of text per chunk: big enough to amortise writes, small enough to start a download at once
/** Parquet row groups close at whichever comes first; bounds memory for long document texts. */
const ROW_GROUP_ROWS = 2_500;
const ROW_GROUP_CHARS = 4 * 1024 * 1024; // 4 M UTF-16 units of text

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
function csvField(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** A CSV cell: text neutralised against spreadsheet formulas (api/export/spreadsheet.ts); numbers never touched (a stance of -2 stays a number). */
function csvCell(column: ExportColumn, value: ExportValue | undefined): string {
  if (value === null || value === undefined) return '';
  switch (column.type) {
    case 'int':
    case 'float':
      return String(value);
    case 'bool':
      return value ? 'true' : 'false';
    case 'list':
      return csvField(neutraliseFormula((value as string[]).join(CSV_LIST_SEPARATOR)));
    case 'json':
      return csvField(neutraliseFormula(value as string));
    case 'string':
      return csvField(neutraliseFormula(String(value)));
  }
}

/** CSV: RFC 4180 (CRLF records, quoted fields may hold newlines), UTF-8, optional BOM, header always written, end marker last. */
export function* csvChunks(columns: readonly ExportColumn[], rows: Iterable<ExportRow>, bom: boolean): Generator<Uint8Array> {
  let buffer = (bom ? '\uFEFF' : '') + columns.map((c) => csvField(c.name)).join(',') + '\r\n';
  let count = 0;
  for (const row of rows) {
    count += 1;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      line += (i === 0 ? '' : ',') + csvCell(columns[i]!, row[i]);
    }
    buffer += line + '\r\n';
    if (buffer.length >= CHUNK_CHARS) {
      yield Buffer.from(buffer, 'utf8');
      buffer = '';
    }
  }
  yield Buffer.from(buffer + csvTrailer(count, columns.length), 'utf8');
}

/**
 * JSONL: one JSON object per line, text exact, lists as arrays, `json` columns nested, end marker last. Lines
 * are assembled from precomputed keys so the JSON text SQLite built for `json` columns is
 * embedded as is rather than parsed and serialised again.
 */
export function* jsonlChunks(columns: readonly ExportColumn[], rows: Iterable<ExportRow>): Generator<Uint8Array> {
  const keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
  let buffer = '';
  let count = 0;
  for (const row of rows) {
    count += 1;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const value = row[i] ?? null;
      line += keys[i]! + (columns[i]!.type === 'json' && value !== null ? (value as string) : JSON.stringify(value));
    }
    buffer += line + '}\n';
    if (buffer.length >= CHUNK_CHARS) {
      yield Buffer.from(buffer, 'utf8');
      buffer = '';
    }
  }
  yield Buffer.from(buffer + jsonlTrailer(count), 'utf8');
}

/** Columns whose values are (nearly) all different: a dictionary or min/max statistics would cost memory and time for nothing. */
const UNIQUE_TEXT = new Set(['text', 'content_hash', 'title', 'url']);
const PLAIN_TEXT = { encoding: 'PLAIN', statistics: false } as const;

function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  for (const c of columns) {
    switch (c.type) {
      case 'string':
      case 'json':
        schema.push({ name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
        break;
      case 'int':
        schema.push({ name: c.name, type: 'INT64', repetition_type: 'OPTIONAL' });
        break;
      case 'float':
        schema.push({ name: c.name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
        break;
      case 'bool':
        schema.push({ name: c.name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' });
        break;
      case 'list':
        schema.push(
          { name: c.name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        );
        break;
    }
  }
  return schema;
}

function parquetValue(column: ExportColumn, value: ExportValue | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'int') return BigInt(value as number);
  return value;
}

/**
 * Parquet: SNAPPY-compressed row groups written one at a time as rows arrive, so memory is
 * bounded by one row group. Ints are INT64, lists LIST<STRING>, `json` columns UTF-8 JSON text.
 * A file with no rows still carries the full schema.
 */
export function* parquetChunks(columns: readonly ExportColumn[], rows: Iterable<ExportRow>, metadata: Record<string, string>): Generator<Uint8Array> {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: parquetSchema(columns),
    // Long texts would make min/max statistics as large as the data; readers filter on ids and labels, not text.
    statisticsTruncateLength: 64,
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    createdBy: 'framescope',
  });
  const drain = (): Uint8Array => {
    const bytes = writer.getBytes().slice();
    writer.index = 0;
    return bytes;
  };
  const textAt = columns.findIndex((c) => c.name === 'text');
  const options = columns.map((c) => (UNIQUE_TEXT.has(c.name) || c.type === 'json' ? PLAIN_TEXT : {}));
  // Values go straight into per-column arrays, so row arrays die young instead of living a whole row group.
  let group: unknown[][] = columns.map(() => []);
  let groupRows = 0;
  let groupChars = 0;
  const flushGroup = () => {
    parquet.write({ columnData: columns.map((c, i) => ({ name: c.name, data: group[i]!, ...options[i] })), rowGroupSize: groupRows });
    group = columns.map(() => []);
    groupRows = 0;
    groupChars = 0;
  };
  yield drain(); // the PAR1 magic: the download starts before the first row group is ready
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) group[i]!.push(parquetValue(columns[i]!, row[i]));
    groupRows += 1;
    const text = row[textAt];
    groupChars += typeof text === 'string' ? text.length : 0;
    if (groupRows >= ROW_GROUP_ROWS || groupChars >= ROW_GROUP_CHARS) {
      flushGroup();
      yield drain();
    }
  }
  if (groupRows > 0) flushGroup();
  parquet.finish();
  yield drain();
}

/** Encodes rows in a format. */
export function encodeRows(
  format: ExportFormat,
  columns: readonly ExportColumn[],
  rows: Iterable<ExportRow>,
  options: { bom: boolean; metadata: Record<string, string> },
): Generator<Uint8Array> {
  if (format === 'csv') return csvChunks(columns, rows, options.bom);
  if (format === 'jsonl') return jsonlChunks(columns, rows);
  return parquetChunks(columns, rows, options.metadata);
}
