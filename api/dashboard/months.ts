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

/**
 * A rollup table as a view reads it: the table itself without a date filter; with a status or
 * provenance filter, its facet rows summed (api/dashboard/facets.ts); with a date filter, a table
 * of the same columns holding each key's sums over the months of the range, from the month
 * rollups (db/schema/monthRollups.ts): per key, the running sums at the last month up to `hi`
 * minus those before `lo`, keys with nothing in the range left out. Keys are narrowed to the
 * level, basis and sources first, so the two seeks per key are made for those keys only.
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
  const on = (alias: string) => sql.raw(mirror.keys.map((k) => `${alias}.${k} = t.${k}`).join(' AND '));
  const months = sql.raw(mirror.months);
  const at = (alias: string, op: '<=' | '<', bound: string) =>
    sql`LEFT JOIN ${months} ${sql.raw(alias)} ON ${on(alias)} AND ${sql.raw(alias)}.month = (SELECT max(c.month) FROM ${months} c WHERE ${on('c')} AND c.month ${sql.raw(op)} ${bound})`;
  const difference = (v: string) => `coalesce(h.${v}, 0) - coalesce(l.${v}, 0)`;
  const where: SQL[] = [sql`t.level = ${f.level}`];
  if (mirror.keys.includes('basis')) where.push(sql`t.basis = ${f.basis}`);
  if (mirror.keys.includes('source_id') && f.sourceIds.length > 0) where.push(sql`t.source_id IN (${sql.join(f.sourceIds.map((id) => sql`${id}`), sql`, `)})`);
  return sql`(SELECT ${sql.raw([...mirror.keys.map((k) => `t.${k}`), ...mirror.values.map((v) => `${difference(v)} AS ${v}`)].join(', '))}
    FROM ${sql.raw(table)} t ${at('h', '<=', range.hi)} ${at('l', '<', range.lo)}
    WHERE ${sql.join(where, sql` AND `)} AND ${sql.raw(difference(mirror.values[0]!))} <> 0)`;
}
