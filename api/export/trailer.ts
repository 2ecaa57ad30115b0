/**
 * The end marker of a CSV or JSONL export. The last record says the file is complete and how
 * many rows it holds, so a file cut short (a killed export, a dropped download) never reads as
 * a whole dataset: it has no end marker, or one whose count disagrees. Parquet and zip carry
 * their own footer and need none.
 *
 * - CSV: a last record with `framescope_export` = `end` and `item_id` = the row count, every
 *   other cell empty.
 * - JSONL: a last line `{"framescope_export":"end","rows":N}`.
 */

/** The `framescope_export` value of the end marker. */
export const END_MARKER = 'end';

/** Whether a file of this export layout version (its rows' `framescope_export`) ends with an end marker: every version after 1. */
export const hasEndMarker = (version: string) => version !== '1';

/** The JSONL end line. */
export function jsonlTrailer(rows: number): string {
  return `${JSON.stringify({ framescope_export: END_MARKER, rows })}\n`;
}

/** The CSV end record for a file whose first two columns are `framescope_export` and `item_id`. */
export function csvTrailer(rows: number, columnCount: number): string {
  return `${END_MARKER},${rows}${','.repeat(columnCount - 2)}\r\n`;
}

/** What is wrong with an export's end marker (missing, or a count that disagrees with the rows held), or null. */
export function endMarkerProblem(found: boolean, declared: unknown, held: number): string | null {
  if (!found) return `this Framescope export is incomplete: its last row is not the end marker (framescope_export "${END_MARKER}"), so the file was cut short; export it again`;
  if (Number(declared) !== held) return `this Framescope export is incomplete: its end marker says ${String(declared)} rows but it holds ${held}; export it again`;
  return null;
}

/**
 * Splits the rows read from an export into its data rows and its end marker (which must be the
 * last row), with what is wrong, if anything. `marker` reads a row's `framescope_export` value
 * and `count` the row count the marker declares.
 */
export function splitEndMarker<T>(rows: readonly T[], marker: (row: T) => unknown, count: (row: T) => unknown): { data: T[]; problem: string | null } {
  const last = rows.at(-1);
  const found = last !== undefined && marker(last) === END_MARKER;
  const data = found ? rows.slice(0, -1) : [...rows];
  const early = data.findIndex((r) => marker(r) === END_MARKER);
  if (early >= 0) return { data, problem: `this Framescope export has an end marker at row ${early + 1}, before its last row` };
  return { data, problem: endMarkerProblem(found, found ? count(last) : undefined, data.length) };
}
