import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { basisSql } from '../../items/provenance.ts';
import { periodSql, rollupSources, scope, withDocuments, type DashboardFilters, type Granularity } from '../filters.ts';
import { CountsSchema, header, labelColumns, labelShares, SharesSchema, ViewHeaderSchema, type LabelColumns, type ViewHeader } from './common.ts';
import { UnitFields, unitsFor, type Unit, type Units } from '../groups.ts';
import { readView } from './read.ts';
import { isDated, rollupTable } from '../months.ts';
import { contribution, edgeItems, itemSources, splitDays, viewTable } from './days.ts';
import { hasFacets } from '../facets.ts';
import { countWhere, dialectFor, jsonIntegerKeyedEntries } from '../../../db/sqlDialect.ts';

const TimelineRowSchema = z.object({
  ...UnitFields,
  period: z.string(),
  counted: z.number().int(),
  counts: CountsSchema,
  shares: SharesSchema,
  meanStance: z.number().nullable(),
});
export type TimelineRow = z.infer<typeof TimelineRowSchema>;

/** Framing mix and mean stance per source and period. */
export const TimelineSchema = ViewHeaderSchema.extend({
  granularity: z.enum(['month', 'year']),
  rows: z.array(TimelineRowSchema),
  /** Counted items whose date is too coarse for the granularity. */
  undated: z.number().int(),
  /** Sources left out (only the `limit` largest are drawn). */
  omitted: z.number().int(),
}).meta({ id: 'DashboardTimeline' });
export type Timeline = z.infer<typeof TimelineSchema>;

/**
 * One source and period (null: too coarsely dated), in period order, with its label columns; on
 * grouped rows summed in SQL, `unit` is the group's key and `sourceId` its first source.
 */
export type PeriodRow = { sourceId: number; unit?: string; period: string | null; counted: number; stanceN: number; stanceSum: number } & LabelColumns;

/**
 * The rows of timeline_rollups (or a table of its columns), pivoted by label in SQL; with
 * `units`, summed per unit (group) and period in SQL, in the order merging the sources' rows
 * would give (period, then the unit's first source).
 */
function periodRows(db: Db, f: DashboardFilters, labels: readonly { id: string }[], granularity: Granularity, table: SQL, units: Units | null): PeriodRow[] {
  const sums = sql`${labelColumns(labels, (id) => sql`coalesce(sum(CASE WHEN label = ${id} THEN n END), 0)`)}, sum(n) AS counted, sum(stance_n) AS "stanceN", sum(stance_sum) AS "stanceSum"`;
  const where = sql`level = ${f.level} AND basis = ${f.basis} AND granularity = ${granularity}${rollupSources(f)}`;
  const period = sql`CASE WHEN period <> '' THEN period END AS period`;
  if (units === null || units.grouping === null) {
    return db.all<PeriodRow>(sql`SELECT source_id AS "sourceId", ${period}, ${sums} FROM ${table} WHERE ${where} GROUP BY period, source_id ORDER BY period NULLS FIRST, source_id`);
  }
  // Hundreds of sources by month are tens of thousands of rows: one per group and period leaves SQL.
  const ids = db.values<[number]>(sql`SELECT id FROM sources`).map(([id]) => id);
  // Each source's unit goes to SQL as the unit's index: a key may hold characters (the others
  // row's NUL) that PostgreSQL's JSON cannot carry as text.
  const keys = [...new Set(ids.map((id) => units.keyOf(id)))];
  const index = new Map(keys.map((k, n) => [k, n]));
  const unitOf = JSON.stringify(Object.fromEntries(ids.map((id) => [id, String(index.get(units.keyOf(id)))])));
  const rows = db.all<PeriodRow>(sql`
    WITH u(source_id, unit) AS (${jsonIntegerKeyedEntries(dialectFor(db), sql`${unitOf}`)})
    SELECT min(source_id) AS "sourceId", u.unit AS unit, ${period}, ${sums}
    FROM ${table} JOIN u USING (source_id) WHERE ${where} GROUP BY period, u.unit ORDER BY period NULLS FIRST, min(source_id)`);
  return rows.map((r) => ({ ...r, unit: keys[Number(r.unit)]! }));
}

/** Whether the rollups answer a timeline: any date range, or a status or provenance filter (timeline_rollups_facets), not both together. */
const rollupsAnswer = (f: DashboardFilters): boolean => !hasFacets(f) || !isDated(f);

const TIMELINE_COLUMNS = 'source_id, level, basis, granularity, period, label, n, stance_n, stance_sum';

/**
 * timeline_rollups' rows (of `granularity`) for a date range, from parts that each hold other
 * documents: by month, the month periods of the range's whole months and the edge days' items;
 * by year, the year periods of its whole years, the month periods of its whole months in
 * partial years as their year, the documents dated only to such a year when its January is in
 * the range (they have no month period), and the edge days' items.
 */
function rangeTable(f: DashboardFilters, granularity: Granularity): SQL {
  const split = splitDays(f);
  const only = { basis: f.basis, granularity };
  const parts: SQL[] = split.edges.map(
    (edge) => sql`SELECT ${sql.raw(TIMELINE_COLUMNS)} FROM (${contribution('timeline_rollups', edgeItems(f, edge), only)}) AS edge WHERE period <> ''`,
  );
  const months = split.months;
  if (months !== null) {
    const lo = months.from === null ? null : months.from.slice(0, 7);
    const hi = months.to === null ? null : months.to.slice(0, 7);
    const monthRows = (a: string | null, b: string | null, period: string) =>
      sql`SELECT source_id, level, basis, ${granularity} AS granularity, ${sql.raw(period)} AS period, label, n, stance_n, stance_sum FROM timeline_rollups
          WHERE granularity = 'month' AND period >= ${a ?? '0'} AND period <= ${b ?? '9999-99'}`;
    if (granularity === 'month') parts.push(monthRows(lo, hi, 'period'));
    else {
      const year = (m: string) => Number(m.slice(0, 4));
      const firstWhole = lo === null ? null : lo.endsWith('-01') ? year(lo) : year(lo) + 1;
      const lastWhole = hi === null ? null : hi.endsWith('-12') ? year(hi) : year(hi) - 1;
      const partial: [string, string][] = [];
      if (lo !== null && hi !== null && firstWhole! > lastWhole!) partial.push([lo, hi]);
      else {
        parts.push(sql`SELECT ${sql.raw(TIMELINE_COLUMNS)} FROM timeline_rollups WHERE granularity = 'year' AND period >= ${String(firstWhole ?? '0')} AND period <= ${String(lastWhole ?? '9999')}`);
        if (lo !== null && !lo.endsWith('-01')) partial.push([lo, `${year(lo)}-12`]);
        if (hi !== null && !hi.endsWith('-12')) partial.push([`${year(hi)}-01`, hi]);
      }
      for (const [a, b] of partial) {
        parts.push(monthRows(a, b, 'substr(period, 1, 4)'));
        for (let y = year(a); y <= year(b); y++) {
          if (`${y}-01` < a || `${y}-01` > b) continue;
          const yearOnly = sql`i.document_id IN (SELECT id FROM documents WHERE published_start = ${`${y}-01-01`} AND published_precision = 'year') AND i.level = ${f.level}${itemSources(f)}`;
          parts.push(sql`SELECT ${sql.raw(TIMELINE_COLUMNS)} FROM (${contribution('timeline_rollups', yearOnly, only)}) AS year_only`);
        }
      }
    }
  }
  return sql`(${sql.join(parts, sql` UNION ALL `)}) AS timeline_rollups`;
}

/**
 * The timeline's rows from the rollups. With a date range: the periods inside it (rangeTable);
 * by month, the items of the range dated only to a year (no month to draw them in) are each
 * source's counted items in the range (month rollups) less those in its month periods.
 */
function fromRollups(db: Db, f: DashboardFilters, labels: readonly { id: string }[], granularity: Granularity, units: Units | null): PeriodRow[] {
  if (!isDated(f)) return periodRows(db, f, labels, granularity, rollupTable(f, 'timeline_rollups'), units);
  const rows = periodRows(db, f, labels, granularity, rangeTable(f, granularity), units);
  if (granularity === 'year') return rows;
  // What each unit's dated rows count, against its sources' counted items in the range.
  const unitOf = (sourceId: number) => (units === null || units.grouping === null ? String(sourceId) : units.keyOf(sourceId));
  const dated = new Map<string, number>();
  for (const r of rows) dated.set(r.unit ?? String(r.sourceId), (dated.get(r.unit ?? String(r.sourceId)) ?? 0) + r.counted);
  const inRange = new Map<string, { sourceId: number; counted: number }>();
  for (const [sourceId, counted] of db.values<[number, number]>(
    sql`SELECT source_id, sum(n) FROM ${viewTable(f, 'source_rollups')} WHERE level = ${f.level} AND basis = ${f.basis} AND label <> ''${rollupSources(f)} GROUP BY source_id ORDER BY source_id`,
  )) {
    const unit = unitOf(sourceId);
    const acc = inRange.get(unit) ?? { sourceId, counted: 0 };
    acc.counted += counted;
    inRange.set(unit, acc);
  }
  const undated: PeriodRow[] = [];
  for (const [unit, { sourceId, counted }] of inRange) {
    const left = counted - (dated.get(unit) ?? 0);
    if (left > 0) undated.push({ sourceId, period: null, counted: left, stanceN: 0, stanceSum: 0 });
  }
  return [...undated, ...rows];
}

function fromItems(db: Db, f: DashboardFilters, labels: readonly { id: string }[], granularity: Granularity): PeriodRow[] {
  const b = basisSql(f.basis);
  const s = scope(f);
  return db.all<PeriodRow>(sql`
    SELECT i.source_id AS "sourceId", ${periodSql(granularity)} AS period,
           ${labelColumns(labels, (id) => sql`coalesce(${countWhere(sql`${b.label} = ${id}`)}, 0)`)}, count(${b.label}) AS counted, count(${b.stance}) AS "stanceN", coalesce(sum(${b.stance}), 0) AS "stanceSum"
    FROM ${withDocuments(s)} WHERE ${s.where} AND ${b.label} IS NOT NULL GROUP BY i.source_id, 2 ORDER BY 2 NULLS FIRST, i.source_id`);
}

/** On the rollup path, narrows the filters to the `limit` sources with the most counted items (dated or not). */
function largestSources(db: Db, f: DashboardFilters, limit: number): { f: DashboardFilters; omitted: number } {
  // Counted items per source, dated or not: labelled items of the year periods, or of the date
  // range; under a status or provenance filter, source_rollups' facet rows (a row per label and
  // facet, not per year too).
  const ranked = isDated(f)
    ? db.values<[sourceId: number]>(sql`
        SELECT source_id FROM ${viewTable(f, 'source_rollups')} WHERE level = ${f.level} AND basis = ${f.basis} AND label <> ''${rollupSources(f)}
        GROUP BY source_id ORDER BY sum(n) DESC, source_id`)
    : db.values<[sourceId: number]>(sql`
        SELECT source_id FROM ${hasFacets(f) ? rollupTable(f, 'source_rollups') : sql`timeline_rollups`} WHERE level = ${f.level} AND basis = ${f.basis}
          AND ${hasFacets(f) ? sql`label <> ''` : sql`granularity = 'year'`}${rollupSources(f)}
        GROUP BY source_id ORDER BY sum(n) DESC, source_id`);
  if (ranked.length <= limit) return { f, omitted: 0 };
  return { f: { ...f, sourceIds: ranked.slice(0, limit).map(([id]) => id) }, omitted: ranked.length - limit };
}

/** On the scan path, the same choice made over the scanned rows, undated ones included. */
function keepLargest(raw: PeriodRow[], limit: number): { raw: PeriodRow[]; omitted: number } {
  const totals = new Map<number, number>();
  for (const r of raw) totals.set(r.sourceId, (totals.get(r.sourceId) ?? 0) + r.counted);
  const keep = new Set([...totals.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit).map(([id]) => id));
  return { raw: raw.filter((r) => keep.has(r.sourceId)), omitted: Math.max(0, totals.size - limit) };
}

/** The timeline's dated rows merged per unit (a source, or a group) in period order, before either shape is built. */
export interface TimelinePeriods {
  head: ViewHeader;
  units: Units;
  merged: { unit: string; row: PeriodRow }[];
  undated: number;
  omitted: number;
}

/**
 * The timeline's rows per unit and period (the rollups, or the scan), shared by its two shapes:
 * rows per period (timeline) and arrays over one axis of periods (timelineSeries.ts). A document
 * dated only to the year is never spread over months: at month granularity it is counted in
 * `undated` instead.
 */
export function timelinePeriods(db: Db, f: DashboardFilters, granularity: Granularity, limit: number | null): TimelinePeriods {
  const head = header(db, f);
  const labels = head.codebook.labels;
  // A chart draws a handful of lines; 500 sources by 120 months would be 60,000 rows. With a
  // limit and no sources chosen by name or id (an outlet group's are not chosen one by one), only
  // the `limit` sources with the most counted items are read. Grouped rows are few (one line per
  // group), so every source is read and merged.
  const limited = limit !== null && (f.sourceIds.length === 0 || f.group !== null) && f.groupBy === null;
  const units = unitsFor(db, f);
  const read = readView(rollupsAnswer(f) ? f : { ...f, scan: true }, {
    rollups: () => {
      const narrowed = limited ? largestSources(db, f, limit) : { f, omitted: 0 };
      return { raw: fromRollups(db, narrowed.f, labels, granularity, units), omitted: narrowed.omitted };
    },
    scan: () => {
      const raw = fromItems(db, f, labels, granularity);
      return limited ? keepLargest(raw, limit) : { raw, omitted: 0 };
    },
  });
  let undated = 0;
  const dated: PeriodRow[] = [];
  for (const r of read.raw) {
    if (r.period === null) undated += r.counted;
    else dated.push(r);
  }
  // Rows arrive in period order, so merging by (unit, period) in arrival order keeps it; per
  // source, SQL has already grouped them (tens of thousands of rows at 500 sources by month: no
  // merge then, and each source's fields are made once).
  const merged: { unit: string; row: PeriodRow }[] = [];
  const byKey = new Map<string, { unit: string; row: PeriodRow }>();
  if (units.grouping === null) for (const r of dated) merged.push({ unit: String(r.sourceId), row: r });
  else if (dated.every((r) => r.unit !== undefined)) for (const r of dated) merged.push({ unit: r.unit!, row: r });
  else for (const r of dated) {
    const unit = units.keyOf(r.sourceId);
    const key = `${unit}\u0000${r.period}`;
    const acc = byKey.get(key);
    if (!acc) {
      const entry = { unit, row: { ...r } };
      byKey.set(key, entry);
      merged.push(entry);
    } else {
      for (let k = 0; k < labels.length; k++) acc.row[`c${k}`] = (acc.row[`c${k}`] ?? 0) + (r[`c${k}`] ?? 0);
      acc.row.counted += r.counted;
      acc.row.stanceN += r.stanceN;
      acc.row.stanceSum += r.stanceSum;
    }
  }
  return { head, units, merged, undated, omitted: read.omitted };
}

/** Framing mix and mean stance per source and month or year, one row per source (or group) and period. */
export function timeline(db: Db, f: DashboardFilters, granularity: Granularity, limit: number | null = null): Timeline {
  const { head, units, merged, undated, omitted } = timelinePeriods(db, f, granularity, limit);
  const labels = head.codebook.labels;
  const unitFields = new Map<string, Unit>();
  const rows: TimelineRow[] = [];
  for (const { unit, row: r } of merged) {
    let fields = unitFields.get(unit);
    if (fields === undefined) unitFields.set(unit, (fields = units.unit(unit)));
    const { counts, shares } = labelShares(r, labels, r.counted);
    rows.push({ sourceId: fields.sourceId, source: fields.source, group: fields.group, period: r.period!, counted: r.counted, counts, shares, meanStance: r.stanceN > 0 ? r.stanceSum / r.stanceN : null });
  }
  return { ...head, granularity, rows, undated, omitted };
}

