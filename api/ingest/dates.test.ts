import { describe, expect, it } from 'vitest';
import { decidedOrder, orderEvidence, readDate } from './dates.ts';
import { FileDates } from './fileDates.ts';

const day = (d: string) => ({ kind: 'date', date: { published: d, precision: 'day', start: d } });

describe('readDate', () => {
  const cases: [string, unknown][] = [
    ['2024', { kind: 'date', date: { published: '2024', precision: 'year', start: '2024-01-01' } }],
    ['2024-10', { kind: 'date', date: { published: '2024-10', precision: 'month', start: '2024-10-01' } }],
    ['2024-10-15', day('2024-10-15')],
    ['2024-10-15T09:30:00Z', day('2024-10-15')],
    // The day as written in its own zone, not the UTC day (which would be the 16th).
    ['2024-10-15T23:30:00-05:00', day('2024-10-15')],
    ['2024-10-16T01:30:00+03:00', day('2024-10-16')],
    ['2024-10-15 09:30:00', day('2024-10-15')],
    ['7/23/17', day('2017-07-23')],
    ['7/23/2017', day('2017-07-23')],
    ['23.7.2017', day('2017-07-23')],
    ['23/07/2017', day('2017-07-23')],
    ['15 October 2024', day('2024-10-15')],
    ['15 Oct 2024', day('2024-10-15')],
    ['Oct 15, 2024', day('2024-10-15')],
    ['October 15, 2024', day('2024-10-15')],
    ['October 2024', { kind: 'date', date: { published: '2024-10', precision: 'month', start: '2024-10-01' } }],
    ['Tue, 15 Oct 2024 09:30:00 +0200', day('2024-10-15')],
    ['Tue, 15 Oct 2024 23:30:00 GMT', day('2024-10-15')],
    ['1729000000', day('2024-10-15')],
    ['1729000000000', day('2024-10-15')],
    ['2024/10/15', day('2024-10-15')],
    ['5/5/2020', day('2020-05-05')],
    ['3/4/2024', { kind: 'ambiguous', mdy: day('2024-03-04').date, dmy: day('2024-04-03').date }],
    ['not a date', { kind: 'unreadable' }],
    ['12', { kind: 'unreadable' }],
    ['2024-13-01', { kind: 'unreadable' }],
    ['31/02/2024', { kind: 'unreadable' }],
    ['', { kind: 'unreadable' }],
  ];
  for (const [value, expected] of cases) {
    it(`reads "${value}"`, () => expect(readDate(value)).toEqual(expected));
  }
});

describe('date order', () => {
  it('takes evidence only from values valid one way round', () => {
    expect(['7/23/17', '23.7.2017', '3/4/2024', '2024-10-15', 'Oct 15, 2024', '5/5/2020'].map(orderEvidence)).toEqual(['mdy', 'dmy', null, null, null, null]);
  });

  it('decides on one order seen, or a 4-to-1 majority, else not', () => {
    expect([decidedOrder({ mdy: 1, dmy: 0 }), decidedOrder({ mdy: 0, dmy: 2 }), decidedOrder({ mdy: 8, dmy: 2 }), decidedOrder({ mdy: 3, dmy: 2 }), decidedOrder({ mdy: 0, dmy: 0 })]).toEqual(['mdy', 'dmy', 'mdy', null, null]);
  });

  it('reads an ambiguous value by --date-order without scanning the file', async () => {
    let scans = 0;
    const dates = new FileDates('dmy', async () => (scans++, { mdy: 5, dmy: 0 }));
    expect(await dates.read('3/4/2024')).toEqual({ date: day('2024-04-03').date, warning: null });
    expect(scans).toBe(0);
  });

  it('scans the file once at the first ambiguous value and follows its evidence', async () => {
    let scans = 0;
    const dates = new FileDates(null, async () => (scans++, { mdy: 0, dmy: 3 }));
    expect((await dates.read('3/4/2024')).date?.published).toBe('2024-04-03');
    expect((await dates.read('1/2/2024')).date?.published).toBe('2024-02-01');
    expect(scans).toBe(1);
    expect(dates.fileWarnings).toEqual([]);
  });

  it('follows evidence already seen in the file before scanning', async () => {
    let scans = 0;
    const dates = new FileDates(null, async () => (scans++, { mdy: 0, dmy: 0 }));
    await dates.read('7/23/17');
    expect((await dates.read('3/4/2024')).date?.published).toBe('2024-03-04');
    expect(scans).toBe(0);
  });

  it('assumes the separator convention when nothing decides, and says so once', async () => {
    const dates = new FileDates(null, async () => ({ mdy: 0, dmy: 0 }));
    expect((await dates.read('3/4/2024')).date?.published).toBe('2024-03-04');
    expect((await dates.read('1/2/2024')).date?.published).toBe('2024-01-02');
    expect(dates.fileWarnings).toEqual([
      'dates such as "3/4/2024" read both ways and nothing in the file decides: read as month/day/year; import again with --date-order dmy if they are day/month/year',
    ]);
    const dotted = new FileDates(null, async () => ({ mdy: 0, dmy: 0 }));
    expect((await dotted.read('3.4.2024')).date?.published).toBe('2024-04-03');
  });

  it('keeps a value that contradicts the order with a warning, and an unreadable one raw', async () => {
    const dates = new FileDates('mdy', async () => ({ mdy: 0, dmy: 0 }));
    expect(await dates.read('23/7/2017')).toEqual({ date: day('2017-07-23').date, warning: 'published "23/7/2017" can only be day/month/year (2017-07-23), unlike the file\'s month/day/year order' });
    expect(await dates.read('sometime in spring')).toEqual({ date: null, warning: 'published "sometime in spring" is not a date the import can read; kept as written (published_raw), date left empty' });
  });
});
