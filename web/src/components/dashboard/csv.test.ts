import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';

describe('dashboard CSV', () => {
  it('neutralises text that a spreadsheet would run as a formula but keeps negative numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\n=cmd')).toBe(`"'\n=cmd"`);
    expect(csvCell('＝SUM(A1)')).toBe("'＝SUM(A1)");
  });

  it('writes a header and rows with CRLF line ends', () => {
    expect(toCsv(['source', 'share'], [['A, B', 0.25], ['-x', null]])).toBe(`source,share\r\n"A, B",0.25\r\n'-x,\r\n`);
  });
});
