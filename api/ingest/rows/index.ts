import type { Readable } from 'node:stream';
import { readDelimitedRows } from './csv.ts';
import { readJsonArrayRows, readJsonlRows } from './json.ts';
import type { RowFormat, RowReader } from './types.ts';
import { readXlsxRows } from './xlsx.ts';

/** A reader of one row file's rows (bytes already gunzipped). */
export function rowReader(format: RowFormat, bytes: Readable): RowReader {
  switch (format) {
    case 'csv':
      return readDelimitedRows(bytes, ',');
    case 'tsv':
      return readDelimitedRows(bytes, '\t');
    case 'jsonl':
      return { rows: readJsonlRows(bytes), header: null };
    case 'json':
      return { rows: readJsonArrayRows(bytes), header: null };
    case 'xlsx':
      return readXlsxRows(bytes);
  }
}
