import { sql, type SQL } from 'drizzle-orm';
import { facetTable, hasFacets, type FacetFilters } from './facets.ts';
import { MONTH_MIRRORS } from './rollups.ts';

/** A date filter as a range of whole months (YYYY-MM): `lo` is '0' and `hi` '9999-99' where a side is open. */
export interface MonthRange {
  lo: string;
  hi: string;
}

/** The date bounds of a view's filters. */
export interface DateBounds {
  from: string | null;
  to: string | null;
}

const OPEN_LO = '0';
const OPEN_HI = '9999-99';

/** Days in a month (1-12) of a year. */
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The whole months a date filter covers, or null when a bound falls inside a month (from a day
 * other than the first, to a day before the last): the month rollups answer whole months only.
 * Undated documents are outside every range (the scan compares their null date and drops them),
 * and their month key '' sorts below `lo`.
 */
export function wholeMonths(f: DateBounds): MonthRange | null {
  if (f.from !== null && !f.from.endsWith('-01')) return null;
  if (f.to !== null) {
    const [y, m, d] = f.to.split('-').map(Number) as [number, number, number];
    if (d < daysIn(y, m)) return null;
  }
  return { lo: f.from === null ? OPEN_LO : f.from.slice(0, 7), hi: f.to === null ? OPEN_HI : f.to.slice(0, 7) };
}

/** Whether the filters name a date range at all. */
export const isDated = (f: DateBounds): boolean => f.from !== null || f.to !== null;

/** What rollupTable narrows the keys by. */
export interface RollupScope extends DateBounds, FacetFilters {
  level: string;
  basis: string;
  sourceIds: readonly number[];
}

/** A run of the month rollups' primary key: rows of one granularity with periods from `lo` to `hi`. */
export interface PeriodRun {
  granularity: 'month' | 'year';
  lo: string;
  hi: string;
}

const year = (y: number) => String(y).padStart(4, '0');

/**
 * A range of whole months as runs of month and year rows: the months of its first year from its
 * first month, the whole years between, the months of its last year to its last month (a year
 * whose months are all in the range is read as its year row). Empty when the range is.
 */
export function periodRuns(range: MonthRange): PeriodRun[] {
  if (range.lo > range.hi) return [];
  const lo = range.lo === OPEN_LO ? null : { y: Number(range.lo.slice(0, 4)), m: Number(range.lo.slice(5, 7)) };
  const hi = range.hi === OPEN_HI ? null : { y: Number(range.hi.slice(0, 4)), m: Number(range.hi.slice(5, 7)) };
  if (lo !== null && hi !== null && lo.y === hi.y && !(lo.m === 1 && hi.m === 12)) return [{ granularity: 'month', lo: range.lo, hi: range.hi }];
  const runs: PeriodRun[] = [];
  let first = '0';
  let last = '9999';
  if (lo !== null && lo.m === 1) first = year(lo.y);
  else if (lo !== null) {
    runs.push({ granularity: 'month', lo: range.lo, hi: `${year(lo.y)}-12` });
    first = year(lo.y + 1);
  }
  if (hi !== null && hi.m === 12) last = year(hi.y);
  else if (hi !== null) {
    runs.push({ granularity: 'month', lo: `${year(hi.y)}-01`, hi: range.hi });
    last = year(hi.y - 1);
  }
  if (first <= last) runs.push({ granularity: 'year', lo: first, hi: last });
  return runs;
}

/**
 * A rollup table as a view reads it: the table itself without a date filter; with a status or
 * provenance filter, its facet rows summed (api/dashboard/facets.ts); with a date filter, a table
 * of the same columns holding each key's sums over the range, from the month rollups
 * (db/schema/monthRollups.ts): the rows of each run of periodRuns (a contiguous stretch of the
 * primary key, which leads with level, basis and period), summed per key, keys with nothing in
 * the range left out.
 */
export function rollupTable(f: RollupScope, table: string): SQL {
  if (hasFacets(f)) {
    if (isDated(f)) throw new Error(`${table}: no rollups for a date range and a status or provenance filter together`);
    return facetTable(f, table);
  }
  if (!isDated(f)) return sql.raw(table);
  const range = wholeMonths(f);
  const mirror = MONTH_MIRRORS.get(table);
  if (range === null || mirror === undefined) throw new Error(`${table}: no month rollups for the date range ${f.from ?? ''}..${f.to ?? ''}`);
  const where: SQL[] = [sql`level = ${f.level}`];
  if (mirror.keys.includes('basis')) where.push(sql`basis = ${f.basis}`);
  if (mirror.keys.includes('source_id') && f.sourceIds.length > 0) where.push(sql`source_id IN (${sql.join(f.sourceIds.map((id) => sql`${id}`), sql`, `)})`);
  const columns = sql.raw([...mirror.keys, ...mirror.values].join(', '));
  const runs = periodRuns(range).map(
    (r) => sql`SELECT ${columns} FROM ${sql.raw(mirror.months)} WHERE ${sql.join(where, sql` AND `)} AND granularity = ${r.granularity} AND period BETWEEN ${r.lo} AND ${r.hi}`,
  );
  const keys = sql.raw(mirror.keys.join(', '));
  const sums = sql.raw(mirror.values.map((v) => `sum(${v}) AS ${v}`).join(', '));
  if (runs.length === 0) return sql`(SELECT ${columns} FROM ${sql.raw(table)} WHERE 0)`;
  return sql`(SELECT ${keys}, ${sums} FROM (${sql.join(runs, sql` UNION ALL `)}) GROUP BY ${keys} HAVING sum(${sql.raw(mirror.values[0]!)}) <> 0)`;
}
