import { parse as parseCsv } from 'csv-parse/sync';
import { restoreFormula } from './spreadsheet.ts';
import { hasEndMarker, splitEndMarker } from './trailer.ts';

/** A CSV file as records: the header, then every data row as strings. */
export interface CsvRecords {
  header: string[];
  rows: string[][];
  /** The file is a Framescope export (it has a `framescope_export` column). */
  fromExport: boolean;
}

/** Why a CSV could not be read; the importer reports it as the file's failure. */
export class CsvReadError extends Error {}

/**
 * The reader paired with the CSV writer (api/export/formats.ts): RFC 4180 with an optional byte
 * order mark. In a Framescope export the end marker must be the last record and count the rows
 * (it is not returned), and every cell gets the writer's formula-neutralising apostrophe removed,
 * so each written string reads back exactly. Any other CSV is returned as parsed.
 */
export function readCsvRecords(text: string): CsvRecords {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, bom: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new CsvReadError(`CSV could not be parsed: ${(e as Error).message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new CsvReadError('no text (the CSV has no header row)');
  const header = records[0]!;
  const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const exportAt = column('framescope_export');
  let rows = records.slice(1);
  if (exportAt < 0) return { header, rows, fromExport: false };
  // A header alone is a file cut before its first record (an empty export still has its end marker).
  if (rows.length === 0 || hasEndMarker(rows[0]![exportAt] ?? '')) {
    const countAt = column('item_id');
    const { data, problem } = splitEndMarker(rows, (rec) => rec[exportAt], (rec) => (countAt >= 0 ? rec[countAt] : undefined));
    if (problem) throw new CsvReadError(problem);
    // A marker missing cells was cut inside its own record.
    if (rows.at(-1)!.length !== header.length) throw new CsvReadError(`this Framescope export is incomplete: its end marker has ${rows.at(-1)!.length} of ${header.length} fields; export it again`);
    rows = data;
  }
  return { header, rows: rows.map((rec) => rec.map(restoreFormula)), fromExport: true };
}
