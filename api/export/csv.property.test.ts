import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExportColumn } from './columns.ts';
import { readCsvRecords } from './csvRecords.ts';
import { csvChunks } from './formats.ts';
import { neutraliseFormula, restoreFormula } from './spreadsheet.ts';

const COLUMNS: ExportColumn[] = [
  { name: 'framescope_export', type: 'string', description: '' },
  { name: 'item_id', type: 'int', description: '' },
  { name: 'title', type: 'string', description: '' },
  { name: 'text', type: 'string', description: '' },
];

/** Strings biased toward what breaks CSV and spreadsheets: quotes, separators, line breaks, apostrophes, formula starts, full-width forms, whitespace. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', ' ', '\t', '\r', '\n', '"', ',', '\u00a0', '\u3000', '\ufeff', 'a'), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const decode = (chunks: Iterable<Uint8Array>) => Buffer.concat([...chunks]).toString('utf8');

describe('the CSV writer and reader pair', () => {
  it('restores every string the formula neutraliser wrote, and never leaves a dangerous start unprefixed', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const written = neutraliseFormula(s);
        expect(restoreFormula(written)).toBe(s);
        // What a spreadsheet sees first, after the whitespace some of them strip, is never a formula trigger.
        expect(/^\s*[=+\-@＝＋－＠﹢﹣﹦﹫]/.test(written) || /^[\t\r]/.test(written)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads back every string cell of an export exactly, with or without a byte order mark', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nasty, nasty), { maxLength: 8 }), fc.boolean(), (cells, bom) => {
        const rows = cells.map(([title, text], i) => ['2', i + 1, title, text]);
        const read = readCsvRecords(decode(csvChunks(COLUMNS, rows, bom)));
        expect(read.header).toEqual(COLUMNS.map((c) => c.name));
        expect(read.rows).toEqual(rows.map((r) => r.map(String)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses every cut of an export that loses a byte of a cell (only the final line break may go)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nasty, nasty), { minLength: 1, maxLength: 5 }), fc.nat(), (cells, at) => {
        const bytes = Buffer.concat([...csvChunks(COLUMNS, cells.map(([title, text], i) => ['2', i + 1, title, text]), false)]);
        // Any cut from the end of the header to the last cell of the end marker: the marker is gone or broken.
        const header = bytes.indexOf('\r\n') + 2;
        const cut = header + (at % (bytes.length - 2 - header));
        expect(() => readCsvRecords(bytes.subarray(0, cut).toString('utf8'))).toThrow();
      }),
      { numRuns: 1_000 },
    );
  });
});
