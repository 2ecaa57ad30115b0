import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaOfCounts, fleissKappa, krippendorffAlpha, percentAgreement } from './agreement.ts';

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
// 12 units, values 1..5, missing data. Rows are units, columns observers A..D.
const KRIPPENDORFF_2011: (number | null)[][] = [
  [1, 1, null, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [null, 5, 5, 5],
  [null, null, 1, 1],
  [null, 3, null, null],
];

describe('percentAgreement', () => {
  it('averages the share of agreeing rater pairs over units with two or more ratings', () => {
    // unit 1: 3 of 3 pairs agree; unit 2: 1 of 3 pairs (a,a,b); unit 3: 0 of 1; unit 4 ignored.
    expect(percentAgreement([['a', 'a', 'a'], ['a', 'a', 'b'], ['a', null, 'b'], ['a', null, null]])).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
  });
  it('is NaN when no unit has two ratings', () => {
    expect(percentAgreement([['a', null]])).toBeNaN();
  });
});

describe('cohenKappa', () => {
  it('matches the textbook 2x2 example: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no gives 0.4', () => {
    const a = [...Array(20).fill('yes'), ...Array(5).fill('yes'), ...Array(10).fill('no'), ...Array(15).fill('no')] as string[];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')] as string[];
    // p_o = 35/50 = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 12);
  });
  it('is 1 for perfect agreement with variation and refuses unpaired ratings', () => {
    expect(cohenKappa(['x', 'y', 'z'], ['x', 'y', 'z'])).toBe(1);
    expect(() => cohenKappa(['x'], ['x', 'y'])).toThrow('paired ratings');
  });
});

describe('cohenKappaOfCounts', () => {
  it('gives the textbook 0.4 from the 2x2 table and the same kappa as the paired ratings of a 3x3 table', () => {
    expect(cohenKappaOfCounts([{ a: 'yes', b: 'yes', count: 20 }, { a: 'yes', b: 'no', count: 5 }, { a: 'no', b: 'yes', count: 10 }, { a: 'no', b: 'no', count: 15 }])).toBeCloseTo(0.4, 12);
    const cells = [
      { a: 'x', b: 'x', count: 7 },
      { a: 'x', b: 'y', count: 3 },
      { a: 'y', b: 'z', count: 4 },
      { a: 'z', b: 'z', count: 9 },
      { a: 'z', b: 'x', count: 2 },
    ];
    const a = cells.flatMap((c) => Array<string>(c.count).fill(c.a));
    const b = cells.flatMap((c) => Array<string>(c.count).fill(c.b));
    expect(cohenKappaOfCounts(cells)).toBeCloseTo(cohenKappa(a, b), 12);
  });
  it('is NaN for an empty table and for one value on both sides', () => {
    expect(cohenKappaOfCounts([])).toBeNaN();
    expect(cohenKappaOfCounts([{ a: 'x', b: 'x', count: 4 }])).toBeNaN();
  });
});

describe('fleissKappa', () => {
  it('matches the worked example of Fleiss (1971) as tabulated on Wikipedia: 10 subjects, 14 raters, 0.210', () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const units = table.map((row) => row.flatMap((n, category) => Array<string>(n).fill(`c${category + 1}`)));
    // P-bar = 3.780/10 = 0.378, P_e = 0.2128 (column shares .143 .200 .279 .150 .229)
    expect(fleissKappa(units)).toBeCloseTo(0.20993, 4);
  });
  it('refuses units with different numbers of ratings', () => {
    expect(() => fleissKappa([['a', 'b'], ['a']])).toThrow('same number of ratings');
  });
});

describe('krippendorffAlpha', () => {
  it('gives 0.743 nominal on the Krippendorff 2011 worked example', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'nominal')).toBeCloseTo(0.743, 3);
  });
  it('gives 0.815 ordinal on the Krippendorff 2011 worked example', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'ordinal')).toBeCloseTo(0.815, 3);
  });
  it('gives 0.849 interval on the Krippendorff 2011 worked example', () => {
    expect(krippendorffAlpha(KRIPPENDORFF_2011, 'interval')).toBeCloseTo(0.849, 3);
  });
  it('gives 0.095 for the two-coder binary example of Krippendorff 2011, section A', () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(krippendorffAlpha(a.map((v, i) => [v, b[i]!]))).toBeCloseTo(0.095, 3);
  });
  it('accepts string labels and is NaN when there is no variation', () => {
    expect(krippendorffAlpha([['a', 'a'], ['b', 'b']])).toBe(1);
    expect(krippendorffAlpha([['a', 'a'], ['a', 'a']])).toBeNaN();
  });
});
