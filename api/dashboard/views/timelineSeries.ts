import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import type { DashboardFilters, Granularity } from '../filters.ts';
import { UnitFields, type Unit } from '../groups.ts';
import { ViewHeaderSchema } from './common.ts';
import { timelinePeriods } from './timeline.ts';

const SeriesSchema = z.object({
  ...UnitFields,
  /** Counted items per period of `periods` (0: none in that period). */
  counted: z.array(z.number().int()),
  /** label id → items with that label per period of `periods`. */
  counts: z.record(z.string(), z.array(z.number().int())),
  /** Mean stance per period of `periods`; null where no counted item has a stance. */
  meanStance: z.array(z.number().nullable()),
});
export type TimelineSeriesLine = z.infer<typeof SeriesSchema>;

/**
 * The timeline's numbers as one axis of periods and, per source or group, arrays over it: the
 * same counts and means as the per-period rows (GET /timeline), in a shape a chart reads
 * directly. Every source by month is 500 arrays of 120 periods instead of 35,000 row objects.
 */
export const TimelineSeriesSchema = ViewHeaderSchema.extend({
  granularity: z.enum(['month', 'year']),
  /** Every period with a counted item under the filters, oldest first (YYYY or YYYY-MM). */
  periods: z.array(z.string()),
  /** One line per source (or group), by volume as every view ranks them. */
  series: z.array(SeriesSchema),
  /** Counted items whose date is too coarse for the granularity. */
  undated: z.number().int(),
  /** Sources left out (only the `limit` largest are drawn). */
  omitted: z.number().int(),
}).meta({ id: 'DashboardTimelineSeries' });
export type TimelineSeries = z.infer<typeof TimelineSeriesSchema>;

/** Framing mix and mean stance per source and month or year, as arrays over one axis of periods. */
export function timelineSeries(db: Db, f: DashboardFilters, granularity: Granularity, limit: number | null = null): TimelineSeries {
  const t = timelinePeriods(db, f, granularity, limit);
  const labels = t.head.codebook.labels;
  const periods = [...new Set(t.merged.map(({ row }) => row.period!))].sort();
  const at = new Map(periods.map((p, k) => [p, k]));
  const lines = new Map<string, Unit & TimelineSeriesLine>();
  for (const { unit, row } of t.merged) {
    let line = lines.get(unit);
    if (line === undefined) {
      line = {
        ...t.units.unit(unit),
        counted: new Array<number>(periods.length).fill(0),
        counts: Object.fromEntries(labels.map((l) => [l.id, new Array<number>(periods.length).fill(0)])),
        meanStance: new Array<number | null>(periods.length).fill(null),
      };
      lines.set(unit, line);
    }
    const k = at.get(row.period!)!;
    line.counted[k] = row.counted;
    for (let j = 0; j < labels.length; j++) line.counts[labels[j]!.id]![k] = row[`c${j}`] ?? 0;
    line.meanStance[k] = row.stanceN > 0 ? row.stanceSum / row.stanceN : null;
  }
  return { ...t.head, granularity, periods, series: [...lines.values()].sort(t.units.order), undated: t.undated, omitted: t.omitted };
}
