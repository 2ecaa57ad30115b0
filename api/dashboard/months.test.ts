import { describe, expect, it } from 'vitest';
import { periodRuns, wholeMonths } from './months.ts';

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
