import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { IngestError } from '../normalize.ts';
import type { RawRow, RowReader } from './types.ts';

/** Why a spreadsheet cannot be read as a row file. */
export class XlsxFileError extends IngestError {}

/** A cell as text: rich text and hyperlinks by their text, formulas by their cached result, dates as ISO 8601. */
export function cellText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as ExcelJS.CellValue);
  if ('error' in v) return null;
  return null;
}

/**
 * The first worksheet of an .xlsx workbook, streamed row by row (exceljs' streaming reader):
 * the first non-empty row is the header, each later non-empty row a document. Cells are read
 * as text (see cellText); a date cell becomes its ISO date.
 */
export function readXlsxRows(bytes: Readable): RowReader {
  const reader: RowReader = { rows: rows(), header: null };
  async function* rows(): AsyncGenerator<RawRow> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(bytes, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
    let header: string[] | null = null;
    let sheets = 0;
    try {
      for await (const sheet of workbook) {
        if (sheets++ > 0) {
          // Only the first worksheet is read; the others are drained so the zip stream ends.
          for await (const _row of sheet) void _row;
          continue;
        }
        for await (const row of sheet) {
          const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
          if (cells.every((c) => c === null || c.trim() === '')) continue;
          if (header === null) {
            header = cells.map((c, i) => c?.trim() || `column ${i + 1}`);
            reader.header = { names: header, raw: cells };
            continue;
          }
          const values: Record<string, unknown> = {};
          header.forEach((h, i) => (values[h] = cells[i] ?? null));
          const extra = cells.slice(header.length).filter((c) => c !== null && c.trim() !== '');
          if (extra.length > 0) {
            yield { line: row.number, values: null, raw: cells, error: { column: null, reason: `row has values in ${cells.length} columns but the header has ${header.length}` } };
            continue;
          }
          yield { line: row.number, values, raw: cells, error: null };
        }
      }
    } catch (e) {
      if (e instanceof XlsxFileError) throw e;
      throw new XlsxFileError(`not a readable .xlsx workbook (${(e as Error).message.split('\n')[0]})`);
    } finally {
      bytes.destroy();
    }
    if (header === null) throw new XlsxFileError('no documents (the first worksheet is empty)');
  }
  return reader;
}
