import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEndMarker } from '../ingest/exportEnd.ts';
import { rowReader } from '../ingest/rows/index.ts';
import type { ExportColumn } from './columns.ts';
import { csvChunks } from './formats.ts';
import { neutraliseFormula, restoreFormula } from './spreadsheet.ts';
import { readCsv } from './testing.ts';

const COLUMNS: ExportColumn[] = [
  { name: 'framescope_export', type: 'string', description: '' },
  { name: 'item_id', type: 'int', description: '' },
  { name: 'title', type: 'string', description: '' },
  { name: 'text', type: 'string', description: '' },
];

/** Strings biased toward what breaks CSV and spreadsheets: quotes, separators, line breaks, apostrophes, formula starts, full-width forms, whitespace. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', ' ', '\t', '\r', '\n', '\r\n', '"', ',', '\u00a0', '\u3000', '\ufeff', 'a'), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const cells = fc.array(fc.tuple(nasty, nasty), { maxLength: 8 });

const exportOf = (rows: [string, string][], bom = false) => Buffer.concat([...csvChunks(COLUMNS, rows.map(([title, text], i) => ['2', i + 1, title, text]), bom)]);

/** The rows the importer's CSV reader finds, formula apostrophes removed as the import does for an export. */
async function imported(bytes: Buffer): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const row of rowReader('csv', Readable.from([bytes])).rows) {
    expect(row.error).toBeNull();
    out.push(Object.fromEntries(Object.entries(row.values!).map(([k, v]) => [k, restoreFormula(String(v))])));
  }
  return out;
}

describe('the CSV writer and reader pair', () => {
  it('restores every string the formula neutraliser wrote, and never leaves a dangerous start unprefixed', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const written = neutraliseFormula(s);
        expect(restoreFormula(written)).toBe(s);
        // What a spreadsheet sees first, after the whitespace some of them strip, is never a formula trigger.
        expect(/^\s*[=+\-@＝＋－＠﹢﹣﹦﹫]/.test(written) || /^[\t\r\n]/.test(written)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads back every string cell exactly with an independent RFC 4180 reader, with or without a byte order mark', () => {
    fc.assert(
      fc.property(cells, fc.boolean(), (rows, bom) => {
        const read = readCsv(exportOf(rows, bom));
        expect(read.header).toEqual(COLUMNS.map((c) => c.name));
        expect(read.rows.map((r) => [restoreFormula(r.title!), restoreFormula(r.text!)])).toEqual(rows);
      }),
      { numRuns: 1_000 },
    );
  });

  it('reads back every string through the importer, exactly but for line endings, which the import makes \\n', async () => {
    await fc.assert(
      fc.asyncProperty(cells, async (rows) => {
        const lf = (s: string) => s.replace(/\r\n?/g, '\n');
        const read = await imported(exportOf(rows));
        expect(read.slice(0, -1).map((r) => [r.title, r.text])).toEqual(rows.map(([a, b]) => [lf(a), lf(b)]));
        expect(read.at(-1)).toMatchObject({ framescope_export: 'end', item_id: String(rows.length) });
      }),
      { numRuns: 300 },
    );
  });

  it('has the importer refuse every cut of an export that loses a byte of a cell (only the final line break may go)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(nasty, nasty), { minLength: 1, maxLength: 5 }), fc.nat(), async (rows, at) => {
        const bytes = exportOf(rows);
        const header = bytes.indexOf('\r\n') + 2;
        const cut = bytes.subarray(0, header + (at % (bytes.length - 2 - header)));
        await expect(checkEndMarker(rowReader('csv', Readable.from([cut])).rows, 'csv')).rejects.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
