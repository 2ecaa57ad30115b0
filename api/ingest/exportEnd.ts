import { EXPORT_MARKER_COLUMN } from './columns.ts';
import { END_MARKER, endMarkerProblem, hasEndMarker } from '../export/trailer.ts';
import { IngestError } from './normalize.ts';
import type { RawRow, RowFormat } from './rows/types.ts';

/** Whether a row is a Framescope export's end marker (not a document). */
export function isEndMarker(row: RawRow): boolean {
  return row.values !== null && row.values[EXPORT_MARKER_COLUMN] === END_MARKER;
}

/** Whether a first row says its file is a Framescope export of a layout that ends with an end marker. */
export function needsEndMarker(row: RawRow): boolean {
  const version = row.values?.[EXPORT_MARKER_COLUMN];
  return typeof version === 'string' && version !== END_MARKER && hasEndMarker(version);
}

/**
 * Reads a Framescope export whole (nothing is stored) and checks its end marker: the last row,
 * declaring how many rows come before it (CSV: in `item_id`; JSONL: in `rows`). A file cut short
 * (a killed export, a dropped download) is refused whole, before any of it is committed.
 */
export async function checkEndMarker(rows: AsyncIterable<RawRow>, format: RowFormat): Promise<void> {
  let held = 0;
  let marker: { at: number; declared: unknown } | null = null;
  let early: number | null = null;
  for await (const row of rows) {
    if (marker) early ??= marker.at;
    if (isEndMarker(row)) {
      marker = { at: held + 1, declared: format === 'csv' ? row.values!.item_id : row.values!.rows };
      continue;
    }
    held++;
  }
  if (early !== null) throw new IngestError(`this Framescope export has an end marker at row ${early}, before its last row`);
  const problem = endMarkerProblem(marker !== null, marker?.declared, held);
  if (problem) throw new IngestError(problem);
}
