/** Why a row was rejected: the column at fault (null for the row as a whole) and the reason, one line. */
export interface RowError {
  column: string | null;
  reason: string;
}

/** One row of a row file as its reader found it, before it becomes a document. */
export interface RawRow {
  /** 1-based line where the row starts (CSV, TSV, JSONL, JSON) or its sheet row (XLSX). */
  line: number;
  /** Column name → value; null when the row could not be read (then `error` says why). */
  values: Record<string, unknown> | null;
  error: RowError | null;
  /** The row as written, for `--rejects`: its text (CSV, TSV, JSONL, JSON) or its cell values (XLSX). */
  raw: string | unknown[];
}

/** The row-file formats: one document per row. */
export type RowFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'xlsx';

/** A row file being read: its rows, and (CSV, TSV, XLSX) the header as written, known once the first row is out. */
export interface RowReader {
  rows: AsyncIterable<RawRow>;
  header: { names: string[]; raw: string | unknown[] } | null;
}
