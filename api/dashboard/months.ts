import { sql, type SQL } from 'drizzle-orm';
import { facetTable, hasFacets, type FacetFilters } from './facets.ts';
import { MONTH_MIRRORS, type MonthMirror } from './rollups.ts';

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

/** A run of periodTerms: a run of month or year rows, added (`sign` 1) or taken away (-1). */
export interface PeriodTerm extends PeriodRun {
  sign: 1 | -1;
}

/**
 * How many month rows a year row costs to read: about two at 500 sources (a year's keys are
 * nearly all of them, a month's about half), so a year row stands in for its months once
 * that is cheaper.
 */
const YEAR_ROW_COST = 2;

/**
 * A range of whole months as signed runs of month and year rows that sum to it, reading fewer
 * rows than periodRuns: a partial first or last year of many months is its year row less the
 * months outside the range (2018-03..2018-12 is the year 2018 less 2018-01..02), so a range
 * costs at most about 7 months' rows at each end. The rows are additive sums, so a key's terms
 * add up to exactly its sums over the range.
 */
export function periodTerms(range: MonthRange): PeriodTerm[] {
  if (range.lo > range.hi) return [];
  const lo = range.lo === OPEN_LO ? null : { y: Number(range.lo.slice(0, 4)), m: Number(range.lo.slice(5, 7)) };
  const hi = range.hi === OPEN_HI ? null : { y: Number(range.hi.slice(0, 4)), m: Number(range.hi.slice(5, 7)) };
  const month = (y: number, m: number) => `${year(y)}-${String(m).padStart(2, '0')}`;
  const months = (y: number, from: number, to: number, sign: 1 | -1): PeriodTerm => ({ granularity: 'month', lo: month(y, from), hi: month(y, to), sign });
  if (lo !== null && hi !== null && lo.y === hi.y) {
    const inside = hi.m - lo.m + 1;
    const outside = 12 - inside;
    if (inside === 12 || YEAR_ROW_COST + outside < inside) {
      const terms: PeriodTerm[] = [{ granularity: 'year', lo: year(lo.y), hi: year(lo.y), sign: 1 }];
      if (lo.m > 1) terms.push(months(lo.y, 1, lo.m - 1, -1));
      if (hi.m < 12) terms.push(months(lo.y, hi.m + 1, 12, -1));
      return terms;
    }
    return [months(lo.y, lo.m, hi.m, 1)];
  }
  const terms: PeriodTerm[] = [];
  let first = '0';
  let last = '9999';
  if (lo !== null) {
    // The months lo.m..12 directly, or the year less 1..lo.m-1.
    if (lo.m === 1 || YEAR_ROW_COST + lo.m - 1 < 13 - lo.m) {
      if (lo.m > 1) terms.push(months(lo.y, 1, lo.m - 1, -1));
      first = year(lo.y);
    } else {
      terms.push(months(lo.y, lo.m, 12, 1));
      first = year(lo.y + 1);
    }
  }
  if (hi !== null) {
    if (hi.m === 12 || YEAR_ROW_COST + 12 - hi.m < hi.m) {
      if (hi.m < 12) terms.push(months(hi.y, hi.m + 1, 12, -1));
      last = year(hi.y);
    } else {
      terms.push(months(hi.y, 1, hi.m, 1));
      last = year(hi.y - 1);
    }
  }
  if (first <= last) terms.push({ granularity: 'year', lo: first, hi: last, sign: 1 });
  return terms;
}

/**
 * A rollup table as a view reads it: the table itself without a date filter; with a status or
 * provenance filter, its facet rows summed (api/dashboard/facets.ts); with a date filter, a table
 * of the same columns holding each key's sums over the range, from the month rollups
 * (db/schema/monthRollups.ts): the rows of each run of periodTerms (a contiguous stretch of the
 * primary key, which leads with level, basis and period, read from the table's covering index
 * where it has one), added or taken away, summed per key, keys with nothing in the range left out.
 */
export function rollupTable(f: RollupScope, table: string): SQL {
  if (hasFacets(f)) {
    if (isDated(f)) throw new Error(`${table}: no rollups for a date range and a status or provenance filter together`);
    return facetTable(f, table);
  }
  if (!isDated(f)) return sql.raw(table);
  const mirror = MONTH_MIRRORS.get(table);
  const parts = monthTermRows(f, table);
  if (parts.length === 0) return sql`(SELECT ${sql.raw([...mirror!.keys, ...mirror!.values].join(', '))} FROM ${sql.raw(table)} WHERE FALSE) AS ${sql.raw(table)}`;
  return summedRows(f, mirror!, parts);
}

/**
 * The rows of the month rollups that sum to a range of whole months: one SELECT of the keys the
 * filters leave varying and the values (negated where a term is taken away) per run of
 * periodTerms; empty when the range is.
 */
export function monthTermRows(f: RollupScope, table: string): SQL[] {
  const range = wholeMonths(f);
  const mirror = MONTH_MIRRORS.get(table);
  if (range === null || mirror === undefined) throw new Error(`${table}: no month rollups for the date range ${f.from ?? ''}..${f.to ?? ''}`);
  const where: SQL[] = [sql`level = ${f.level}`];
  if (mirror.keys.includes('basis')) where.push(sql`basis = ${f.basis}`);
  if (mirror.keys.includes('source_id') && f.sourceIds.length > 0) where.push(sql`source_id IN (${sql.join(f.sourceIds.map((id) => sql`${id}`), sql`, `)})`);
  const varying = sql.raw(varyingKeys(f, mirror.keys).join(', '));
  const values = (sign: 1 | -1) => sql.raw(mirror.values.map((v) => (sign === 1 ? v : `-${v} AS ${v}`)).join(', '));
  return periodTerms(range).map(
    (t) => sql`SELECT ${varying}, ${values(t.sign)} FROM ${sql.raw(mirror.months)} WHERE ${sql.join(where, sql` AND `)} AND granularity = ${t.granularity} AND period BETWEEN ${t.lo} AND ${t.hi}`,
  );
}

/**
 * Rows of a rollup's varying keys and values (`parts`, UNION ALL'd) summed per key into a table
 * of the rollup's columns, keys whose count sums to nothing left out. Grouped by the varying keys
 * alone: sorting 70,000 rows by two text keys that never differ nearly doubled a range's read.
 */
export function summedRows(f: Pick<RollupScope, 'level' | 'basis'>, mirror: MonthMirror, parts: SQL[]): SQL {
  const fixed = fixedKeys(f, mirror.keys);
  const keys = sql.join(
    mirror.keys.map((k) => (k in fixed ? sql`${fixed[k]} AS ${sql.raw(k)}` : sql.raw(k))),
    sql`, `,
  );
  return sql`(SELECT ${keys}, ${sql.raw(mirror.values.map((v) => `sum(${v}) AS ${v}`).join(', '))}
    FROM (${sql.join(parts, sql` UNION ALL `)}) AS terms GROUP BY ${sql.raw(varyingKeys(f, mirror.keys).join(', '))} HAVING sum(${sql.raw(mirror.values[0]!)}) <> 0) AS ${sql.raw(mirror.table)}`;
}

/** A rollup's keys the view's filters leave varying: all but the level, and the basis where the rollup has one. */
export function varyingKeys(f: Pick<RollupScope, 'level' | 'basis'>, keys: readonly string[]): string[] {
  const fixed = fixedKeys(f, keys);
  return keys.filter((k) => !(k in fixed));
}

/** The keys a view's filters fix to one value (the level, and the basis where the rollup has one). */
function fixedKeys(f: Pick<RollupScope, 'level' | 'basis'>, keys: readonly string[]): Record<string, string> {
  return keys.includes('basis') ? { level: f.level, basis: f.basis } : { level: f.level };
}
