import { describe, expect, it } from 'vitest';
import { periodRuns, periodTerms, wholeMonths, type PeriodTerm } from './months.ts';

const runs = (from: string | null, to: string | null) => periodRuns(wholeMonths({ from, to })!);

describe('a date range of whole months as runs of month and year rows', () => {
  it('reads the months of a range inside one year, and a whole year as its year row', () => {
    expect(runs('2021-03-01', '2021-08-31')).toEqual([{ granularity: 'month', lo: '2021-03', hi: '2021-08' }]);
    expect(runs('2021-01-01', '2021-12-31')).toEqual([{ granularity: 'year', lo: '2021', hi: '2021' }]);
    expect(runs('2021-01-01', '2021-11-30')).toEqual([{ granularity: 'month', lo: '2021-01', hi: '2021-11' }]);
  });

  it('reads the first and last years by month and the years between by year', () => {
    expect(runs('2019-03-01', '2023-08-31')).toEqual([
      { granularity: 'month', lo: '2019-03', hi: '2019-12' },
      { granularity: 'month', lo: '2023-01', hi: '2023-08' },
      { granularity: 'year', lo: '2020', hi: '2022' },
    ]);
    expect(runs('2019-01-01', '2023-08-31')).toEqual([
      { granularity: 'month', lo: '2023-01', hi: '2023-08' },
      { granularity: 'year', lo: '2019', hi: '2022' },
    ]);
    expect(runs('2020-11-01', '2021-02-28')).toEqual([
      { granularity: 'month', lo: '2020-11', hi: '2020-12' },
      { granularity: 'month', lo: '2021-01', hi: '2021-02' },
    ]);
  });

  it('reads every year before or after an open side', () => {
    expect(runs(null, '2022-06-30')).toEqual([
      { granularity: 'month', lo: '2022-01', hi: '2022-06' },
      { granularity: 'year', lo: '0', hi: '2021' },
    ]);
    expect(runs('2022-01-01', null)).toEqual([{ granularity: 'year', lo: '2022', hi: '9999' }]);
    expect(runs('2022-05-01', null)).toEqual([
      { granularity: 'month', lo: '2022-05', hi: '2022-12' },
      { granularity: 'year', lo: '2023', hi: '9999' },
    ]);
  });

  it('reads nothing for a range that ends before it starts', () => {
    expect(runs('2023-05-01', '2022-06-30')).toEqual([]);
  });
});

const terms = (from: string | null, to: string | null) => periodTerms(wholeMonths({ from, to })!);

/** Each month of 2015..2024 a set of signed terms counts, and how many times (a year term counts its 12 months). */
function monthsCounted(list: PeriodTerm[]): Map<string, number> {
  const counted = new Map<string, number>();
  for (let y = 2015; y <= 2024; y++) {
    for (let m = 1; m <= 12; m++) {
      const month = `${y}-${String(m).padStart(2, '0')}`;
      const n = list.reduce((sum, t) => sum + (t.granularity === 'month' ? (t.lo <= month && month <= t.hi ? t.sign : 0) : t.lo <= String(y) && String(y) <= t.hi ? t.sign : 0), 0);
      if (n !== 0) counted.set(month, n);
    }
  }
  return counted;
}

describe('a date range of whole months as signed terms of month and year rows', () => {
  it('reads a partial year of many months as its year row less the months outside', () => {
    expect(terms('2018-03-01', '2021-06-30')).toEqual([
      { granularity: 'month', lo: '2018-01', hi: '2018-02', sign: -1 },
      { granularity: 'month', lo: '2021-01', hi: '2021-06', sign: 1 },
      { granularity: 'year', lo: '2018', hi: '2020', sign: 1 },
    ]);
    expect(terms('2020-04-01', null)).toEqual([
      { granularity: 'month', lo: '2020-01', hi: '2020-03', sign: -1 },
      { granularity: 'year', lo: '2020', hi: '9999', sign: 1 },
    ]);
    expect(terms('2021-02-01', '2021-11-30')).toEqual([
      { granularity: 'year', lo: '2021', hi: '2021', sign: 1 },
      { granularity: 'month', lo: '2021-01', hi: '2021-01', sign: -1 },
      { granularity: 'month', lo: '2021-12', hi: '2021-12', sign: -1 },
    ]);
  });

  it('reads a few months directly', () => {
    expect(terms('2021-03-01', '2021-08-31')).toEqual([{ granularity: 'month', lo: '2021-03', hi: '2021-08', sign: 1 }]);
    expect(terms('2019-10-01', '2020-02-29')).toEqual([
      { granularity: 'month', lo: '2019-10', hi: '2019-12', sign: 1 },
      { granularity: 'month', lo: '2020-01', hi: '2020-02', sign: 1 },
    ]);
    expect(terms('2023-05-01', '2022-06-30')).toEqual([]);
  });

  it('counts every month of every range once and no month outside it', () => {
    const months: string[] = [];
    for (let y = 2016; y <= 2019; y++) for (let m = 1; m <= 12; m++) months.push(`${y}-${String(m).padStart(2, '0')}`);
    const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const bounds = [null, ...months];
    for (const lo of bounds) {
      for (const hi of bounds) {
        if (lo !== null && hi !== null && lo > hi) continue;
        const expected = new Map<string, number>();
        for (let y = 2015; y <= 2024; y++) {
          for (let m = 1; m <= 12; m++) {
            const month = `${y}-${String(m).padStart(2, '0')}`;
            if ((lo === null || lo <= month) && (hi === null || month <= hi)) expected.set(month, 1);
          }
        }
        const list = terms(lo === null ? null : `${lo}-01`, hi === null ? null : lastDay(hi));
        expect(monthsCounted(list), `${lo}..${hi}`).toEqual(expected);
        expect(list.length, `${lo}..${hi}`).toBeLessThanOrEqual(3);
      }
    }
  });
});
