import { sql, type SQL } from 'drizzle-orm';
import { inList } from '../filters.ts';
import { isDated, monthTermRows, rollupTable, summedRows, varyingKeys, wholeMonths, type DateBounds, type RollupScope } from '../months.ts';
import { hasFacets } from '../facets.ts';
import { rollupRowsOver, MONTH_MIRRORS } from '../rollups.ts';

/** A closed range of publication days, YYYY-MM-DD at both ends. */
export interface DayRange {
  from: string;
  to: string;
}

/** A date filter as the whole months inside it and the days at its ends outside them. */
export interface DaySplit {
  /** The whole months (from a first day, to a last day; null: open), or null when the range holds none. */
  months: DateBounds | null;
  /** The days outside those months: at most one range at each end. */
  edges: DayRange[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymOf = (date: string): [number, number] => [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
/** Days in month `m` (1-12) of year `y`. */
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const lastDay = (y: number, m: number) => `${y}-${pad(m)}-${pad(daysIn(y, m))}`;
const firstDay = (y: number, m: number) => `${y}-${pad(m)}-01`;
/** The first day of the month after `date`'s, and the last day of the month before it. */
const nextMonthStart = (date: string) => {
  const [y, m] = ymOf(date);
  return m === 12 ? firstDay(y + 1, 1) : firstDay(y, m + 1);
};
const previousMonthEnd = (date: string) => {
  const [y, m] = ymOf(date);
  return m === 1 ? lastDay(y - 1, 12) : lastDay(y, m - 1);
};

/**
 * Splits a date filter into the whole months the month rollups answer and the edge days a bound
 * inside a month leaves (`from=2020-03-15`: the days 2020-03-15..31, then every month from
 * 2020-04). A document lies in exactly one part, so counts and sums over the parts add up to the
 * range's. A range within one month (or two partial neighbours) is all edge.
 */
export function splitDays(f: DateBounds): DaySplit {
  const lowPartial = f.from !== null && !f.from.endsWith('-01');
  const highPartial = f.to !== null && Number(f.to.slice(8, 10)) < daysIn(...ymOf(f.to));
  const from = lowPartial ? nextMonthStart(f.from!) : f.from;
  const to = highPartial ? previousMonthEnd(f.to!) : f.to;
  if (from !== null && to !== null && from > to) return { months: null, edges: [{ from: f.from!, to: f.to! }] };
  const edges: DayRange[] = [];
  if (lowPartial) edges.push({ from: f.from!, to: lastDay(...ymOf(f.from!)) });
  if (highPartial) edges.push({ from: firstDay(...ymOf(f.to!)), to: f.to! });
  return { months: { from, to }, edges };
}

/** The items (over `items i`) of the documents published on the days of `edge`, at the level and in the sources of the view. */
export function edgeItems(f: Pick<RollupScope, 'level' | 'sourceIds'>, edge: DayRange): SQL {
  // Through the publication-date index and items by document: only the edge's documents are
  // read. The source list must not drive the search (+: no index on it), or a group's hundreds
  // of sources are each probed for every edge document.
  const sources = f.sourceIds.length === 0 ? sql`` : sql` AND +i.source_id IN ${inList(f.sourceIds)}`;
  return sql`i.document_id IN (SELECT id FROM documents WHERE published_start >= ${edge.from} AND published_start <= ${edge.to}) AND i.level = ${f.level}${sources}`;
}

/** ` AND i.source_id IN (...)` when the view is narrowed to some sources. */
export const itemSources = (f: Pick<RollupScope, 'sourceIds'>): SQL => (f.sourceIds.length === 0 ? sql`` : sql` AND i.source_id IN ${inList(f.sourceIds)}`);

/**
 * The stance sums per source (source_stance_rollups' columns) of the items matching `where`:
 * each document's stance sum and count (document_rollups' rows), summed with their squares.
 */
function stanceContribution(where: SQL, only: Readonly<Record<string, string>>): SQL {
  return sql`SELECT source_id, level, basis, count(*) AS documents, sum(n) AS n, sum(stance_sum) AS s, sum(stance_sum * stance_sum) AS ss,
      sum(stance_sum * n) AS sn, sum(n * n) AS nn
    FROM (${rollupRowsOver('document_rollups', where, only)}) AS edge GROUP BY source_id, level, basis`;
}

/** A rollup table's rows over the items matching `where`, in its columns' order; `only` as rollupRowsOver takes it. */
export function contribution(table: string, where: SQL, only: Readonly<Record<string, string>> = {}): SQL {
  return table === 'source_stance_rollups' ? stanceContribution(where, only) : rollupRowsOver(table, where, only);
}

/**
 * A rollup table as a view reads it under the filters (months.ts rollupTable), for any date
 * range: a range of whole months as rollupTable gives it; a bound inside a month as the month
 * rollups of the range's whole months plus the rows of the edge days' items, computed from those
 * items alone (an index seek by publication date, then their items by document), summed per key.
 */
export function viewTable(f: RollupScope, table: string): SQL {
  if (!isDated(f) || wholeMonths(f) !== null) return rollupTable(f, table);
  const mirror = MONTH_MIRRORS.get(table);
  if (mirror === undefined) throw new Error(`${table}: no month rollups for the date range ${f.from ?? ''}..${f.to ?? ''}`);
  const split = splitDays(f);
  const varying = sql.raw([...varyingKeys(f, mirror.keys), ...mirror.values].join(', '));
  // Agreement and corrected rollups have no basis (their views pass '').
  const only: Record<string, string> = f.basis === '' ? {} : { basis: f.basis };
  // The edge days' rows and the whole months' rows, summed in one GROUP BY.
  const parts: SQL[] = split.edges.map((edge) => sql`SELECT ${varying} FROM (${contribution(table, edgeItems(f, edge), only)}) AS edge`);
  if (split.months !== null) {
    if (hasFacets(f)) throw new Error(`${table}: no rollups for a date range and a status or provenance filter together`);
    parts.push(...monthTermRows({ ...f, ...split.months }, table));
  }
  return summedRows(f, mirror, parts);
}
