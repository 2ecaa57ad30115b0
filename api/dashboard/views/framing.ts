import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { basisSql } from '../../items/provenance.ts';
import { rollupSources, scope, type DashboardFilters } from '../filters.ts';
import { CountsSchema, header, labelColumns, labelCounts, SharesSchema, SMALL_ITEMS, ViewHeaderSchema, type LabelColumns } from './common.ts';
import { mergeByUnit, UnitFields, unitsFor } from '../groups.ts';
import { readView } from './read.ts';
import { viewTable } from './days.ts';
import { countWhere } from '../../../db/sqlDialect.ts';

const FramingRowSchema = z.object({
  ...UnitFields,
  /** Items with a label under the basis (the denominator of the shares). */
  counted: z.number().int(),
  /** label id → count; labels outside the codebook are summed in `other`. */
  counts: CountsSchema,
  shares: SharesSchema,
  other: z.number().int(),
  meanStance: z.number().nullable(),
  /** Items in scope left out: disputed, or without a label under the basis (unsuggested, open reject). */
  disputed: z.number().int(),
  unlabelled: z.number().int(),
  small: z.boolean(),
});
export type FramingRow = z.infer<typeof FramingRowSchema>;

/** The framing-label mix per source. */
export const FramingSchema = ViewHeaderSchema.extend({ rows: z.array(FramingRowSchema) }).meta({ id: 'DashboardFraming' });
export type Framing = z.infer<typeof FramingSchema>;

/** Per source: items per codebook label (codebook order), labelled, stance count and sum, disputed and all items in scope. */
interface FramingSums {
  sourceId: number;
  counts: number[];
  counted: number;
  stanceN: number;
  stanceSum: number;
  disputed: number;
  total: number;
}

const addSums = (into: FramingSums, r: FramingSums) => {
  r.counts.forEach((n, k) => (into.counts[k]! += n));
  into.counted += r.counted;
  into.stanceN += r.stanceN;
  into.stanceSum += r.stanceSum;
  into.disputed += r.disputed;
  into.total += r.total;
};

function fromItems(db: Db, f: DashboardFilters, labels: readonly { id: string }[]): FramingSums[] {
  const b = basisSql(f.basis);
  const s = scope(f);
  const rows = db.all<Omit<FramingSums, 'counts'> & LabelColumns>(sql`
    SELECT i.source_id AS "sourceId", ${labelColumns(labels, (id) => sql`coalesce(${countWhere(sql`${b.label} = ${id}`)}, 0)`)},
           count(${b.label}) AS counted, count(${b.stance}) AS "stanceN", coalesce(sum(${b.stance}), 0) AS "stanceSum",
           coalesce(${countWhere(sql`i.review_status = 'disputed'`)}, 0) AS disputed, count(*) AS total
    FROM ${s.from} WHERE ${s.where} GROUP BY i.source_id`);
  return rows.map((r) => ({ sourceId: r.sourceId, counts: labelCounts(r, labels), counted: r.counted, stanceN: r.stanceN, stanceSum: r.stanceSum, disputed: r.disputed, total: r.total }));
}

function fromRollups(db: Db, f: DashboardFilters, labels: readonly { id: string }[]): FramingSums[] {
  const byLabel = db.all<{ sourceId: number; label: string; n: number; stanceN: number; stanceSum: number }>(sql`
    SELECT source_id AS "sourceId", label, n, stance_n AS "stanceN", stance_sum AS "stanceSum"
    FROM ${viewTable(f, 'source_rollups')} WHERE level = ${f.level} AND basis = ${f.basis}${rollupSources(f)} ORDER BY source_id`);
  const disputed = new Map(
    db
      .all<{ sourceId: number; n: number }>(sql`SELECT source_id AS "sourceId", n FROM ${viewTable(f, 'source_status_rollups')} WHERE level = ${f.level} AND review_status = 'disputed'${rollupSources(f)}`)
      .map((r) => [r.sourceId, r.n]),
  );
  const perSource = new Map<number, FramingSums>();
  for (const r of byLabel) {
    let acc = perSource.get(r.sourceId);
    if (!acc) {
      acc = { sourceId: r.sourceId, counts: labels.map(() => 0), counted: 0, disputed: disputed.get(r.sourceId) ?? 0, total: 0, stanceN: 0, stanceSum: 0 };
      perSource.set(r.sourceId, acc);
    }
    const k = labels.findIndex((l) => l.id === r.label);
    if (k >= 0) acc.counts[k] = r.n;
    // The empty label is the rollup's row for items without a label under the basis.
    if (r.label !== '') acc.counted += r.n;
    acc.total += r.n;
    acc.stanceN += r.stanceN;
    acc.stanceSum += r.stanceSum;
  }
  return [...perSource.values()];
}

/** Share of each framing label per source or group (100% stacked bars), with the mean stance for sorting. */
export function framingMix(db: Db, f: DashboardFilters): Framing {
  const head = header(db, f);
  const labels = head.codebook.labels;
  const perSource = readView(f, { rollups: () => fromRollups(db, f, labels), scan: () => fromItems(db, f, labels) });
  const units = unitsFor(db, f);
  const merged = mergeByUnit(perSource, units, addSums, (r) => ({ ...r, counts: [...r.counts] }));
  const rows = merged.map(({ key, sums: r }): FramingRow => {
    const counts = Object.fromEntries(labels.map((l, k) => [l.id, r.counts[k]!]));
    const shares = Object.fromEntries(labels.map((l, k) => [l.id, r.counted > 0 ? r.counts[k]! / r.counted : 0]));
    const labelled = r.counts.reduce((a, n) => a + n, 0);
    return {
      ...units.unit(key),
      counted: r.counted,
      counts,
      shares,
      other: r.counted - labelled,
      meanStance: r.stanceN > 0 ? r.stanceSum / r.stanceN : null,
      disputed: r.disputed,
      unlabelled: r.total - r.counted - r.disputed,
      small: r.counted < SMALL_ITEMS,
    };
  });
  return { ...head, groupBy: units.grouping, others: units.others, rows: rows.sort(units.order) };
}
