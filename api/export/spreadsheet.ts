/**
 * Spreadsheet safety of CSV text cells, shared by the export, the importer that reads exports
 * back, and the web UI's chart downloads (this file has no Node imports for that reason).
 *
 * A cell is dangerous when a spreadsheet could run it as a formula: it starts with `=`, `+`,
 * `-` or `@` (or their full-width and small forms, which some spreadsheets fold to ASCII),
 * possibly after whitespace or line breaks that some applications strip first, or it starts with
 * a tab, carriage return or line feed (OWASP names tab and CR). Such a cell gets one apostrophe
 * in front. So that the apostrophe can always be removed again, a cell that already starts with
 * apostrophes followed by a dangerous start gets one more: the mapping is reversible for every
 * string.
 */

/** Formula triggers: ASCII, full-width (U+FF0B ＋, U+FF0D －, U+FF1D ＝, U+FF20 ＠) and small forms (U+FE62 ﹢, U+FE63 ﹣, U+FE66 ﹦, U+FE6B ﹫). */
const TRIGGER = '[=+\\-@\\uFF0B\\uFF0D\\uFF1D\\uFF20\\uFE62\\uFE63\\uFE66\\uFE6B]';
/**
 * A dangerous start: optional whitespace (\s covers line breaks, NBSP, U+3000 and the BOM) then
 * a trigger, or a tab, CR or LF. LF is there because a reader that turns CR into LF (the
 * importer does) must still find the apostrophe it should remove.
 */
const DANGER = `(?:\\s*${TRIGGER}|[\\t\\r\\n])`;
const NEEDS_APOSTROPHE = new RegExp(`^'*${DANGER}`);
const NEUTRALISED = new RegExp(`^'+${DANGER}`);

/** The cell as written to a CSV: an apostrophe in front when a spreadsheet could run it. */
export function neutraliseFormula(cell: string): string {
  return NEEDS_APOSTROPHE.test(cell) ? `'${cell}` : cell;
}

/** The exact text of a cell neutraliseFormula wrote: `restoreFormula(neutraliseFormula(s)) === s` for every string. */
export function restoreFormula(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}
