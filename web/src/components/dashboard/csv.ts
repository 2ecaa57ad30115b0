import { neutraliseFormula } from '../../../../api/export/spreadsheet.ts';

/** A CSV cell value: numbers stay numbers; text is neutralised against spreadsheet formulas. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV cell. Text that a spreadsheet could run as a formula gets a leading apostrophe, by the
 * same rule as the dataset export (api/export/spreadsheet.ts); numbers are written as numbers so
 * a negative stance stays a value, not text.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = neutraliseFormula(String(value));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document (header row first, CRLF line ends as RFC 4180 has them). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
