import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { countWhere, flag } from '../../../db/sqlDialect.ts';
import { correctedEstimate, CorrectedEstimateSchema, withinScale, type CorrectionSums } from '../corrected.ts';
import { correctionSample } from '../../items/provenance.ts';
import { rollupSources, scope, type DashboardFilters } from '../filters.ts';
import { codebookFor, CodebookViewSchema, LevelSchema, StatementSchema } from './common.ts';
import { UnitFields, unitsFor } from '../groups.ts';
import { readView } from './read.ts';
import { viewTable } from './days.ts';

const CorrectedRowSchema = z.object({
  ...UnitFields,
  /** Items with a model suggestion. */
  n: z.number().int(),
  /** Items of the random reviewed sample. */
  nSample: z.number().int(),
  labels: z.record(z.string(), CorrectedEstimateSchema),
  stance: CorrectedEstimateSchema,
});
export type CorrectedRow = z.infer<typeof CorrectedRowSchema>;

/** Model estimates corrected by the random reviewed sample. */
export const CorrectedSchema = z
  .object({ level: LevelSchema, statement: StatementSchema, codebook: CodebookViewSchema, groupBy: z.string().nullable(), others: z.number().int(), rows: z.array(CorrectedRowSchema) })
  .meta({ id: 'DashboardCorrected' });
export type Corrected = z.infer<typeof CorrectedSchema>;

/**
 * The rows of (source, model label, human label on the sample or null) with the items and the
 * stance sums the correction needs, as columns sourceId, suggested, reviewed, n, sm, smm, sns,
 * sd, sdd, smd: from the rollups, as the filters narrow them.
 */
function groupsFromRollups(f: DashboardFilters): SQL {
  return sql`SELECT source_id AS "sourceId", suggested, CASE WHEN reviewed <> '' THEN reviewed END AS reviewed, n, sm, smm, sns, sd, sdd, smd
    FROM ${viewTable({ ...f, basis: '' }, 'corrected_rollups')} WHERE level = ${f.level}${rollupSources(f)}`;
}

/** The same rows from a scan of items. */
function groupsFromItems(f: DashboardFilters): SQL {
  const s = scope(f);
  const { inSample, human, diff } = correctionSample;
  const stanceSample = sql`${inSample} AND ${diff} IS NOT NULL`;
  return sql`
    SELECT i.source_id AS "sourceId", i.suggested_label AS suggested, CASE WHEN ${inSample} THEN ${human} END AS reviewed, count(*) AS n,
           sum(i.suggested_stance) AS sm, sum(i.suggested_stance * i.suggested_stance) AS smm,
           coalesce(${countWhere(stanceSample)}, 0) AS sns,
           coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} END), 0) AS sd,
           coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} * ${diff} END), 0) AS sdd,
           coalesce(sum(CASE WHEN ${stanceSample} THEN i.suggested_stance * ${diff} END), 0) AS smd
    FROM ${s.from} ${correctionSample.join}
    WHERE ${s.where} AND i.suggested_label IS NOT NULL GROUP BY 1, 2, 3`;
}

/** Per source: items, sample items, the stance sums, and per codebook label its model count and sample differences. */
type SourceSums = [sourceId: number, n: number, nSample: number, sm: number, smm: number, sns: number, sd: number, sdd: number, smd: number, ...labels: number[]];
const LABEL_SUMS = 4;
const FIRST_LABEL = 9;

/**
 * One row per source from the group rows, summed by SQLite: for each label L (Ŷ = [model label
 * is L], Y = [human label is L] on the sample), Σn·Ŷ (also Σn·Ŷ², Ŷ being 0 or 1), and over the
 * sample Σn·(Y − Ŷ), Σn·(Y − Ŷ)² and Σn·Ŷ·(Y − Ŷ): a few hundred rows cross into JavaScript instead
 * of one per (source, model label, human label).
 */
function perSource(groups: SQL, labels: readonly { id: string }[]): SQL {
  const pivots = labels.map((l) => {
    const yhat = sql`(${flag(sql`suggested = ${l.id}`)})`;
    const d = sql`(${flag(sql`reviewed = ${l.id}`)} - ${yhat})`;
    return sql`sum(n * ${yhat}), coalesce(sum(CASE WHEN reviewed IS NOT NULL THEN n * ${d} END), 0), coalesce(sum(CASE WHEN reviewed IS NOT NULL THEN n * ${d} * ${d} END), 0),
      coalesce(sum(CASE WHEN reviewed IS NOT NULL THEN n * ${yhat} * ${d} END), 0)`;
  });
  return sql`SELECT "sourceId", sum(n), coalesce(sum(CASE WHEN reviewed IS NOT NULL THEN n END), 0), sum(sm), sum(smm), sum(sns), sum(sd), sum(sdd), sum(smd)${sql.join(
    pivots.map((p) => sql`, ${p}`),
    sql``,
  )} FROM (${groups}) AS per_group GROUP BY "sourceId"`;
}

/**
 * Per source: the model's label shares and mean stance over every suggested item, corrected by
 * the mean human − model difference on the random reviewed sample (reviews made in the queue's
 * random order or blind), with intervals that carry both sources of uncertainty.
 */
export function correctedEstimates(db: Db, f: DashboardFilters): Corrected {
  const codebook = codebookFor(db, f);
  // Grouped by (source, model label, human label on the sample): few groups, from which every
  // label's sums follow, summed per source in SQL.
  const labels = codebook.labels;
  const sums = db.values<SourceSums>(perSource(readView(f, { rollups: () => groupsFromRollups(f), scan: () => groupsFromItems(f) }), labels));
  const empty = (): CorrectionSums => ({ n: 0, sumModel: 0, sumModelSq: 0, nSample: 0, sumDiff: 0, sumDiffSq: 0, sumModelDiff: 0 });
  const units = unitsFor(db, f);
  // A group's sums are its sources' sums: the estimator is a mean over the group's items.
  const perUnit = new Map<string, { labels: CorrectionSums[]; stance: CorrectionSums; nSample: number }>();
  for (const row of sums) {
    const [sourceId, n, nSample, sm, smm, sns, sd, sdd, smd] = row;
    const key = units.keyOf(sourceId);
    let acc = perUnit.get(key);
    if (!acc) perUnit.set(key, (acc = { labels: labels.map(empty), stance: empty(), nSample: 0 }));
    acc.nSample += nSample;
    acc.labels.forEach((l, k) => {
      const at = FIRST_LABEL + k * LABEL_SUMS;
      l.n += n;
      l.sumModel += row[at]!;
      l.sumModelSq += row[at]!;
      l.nSample += nSample;
      l.sumDiff += row[at + 1]!;
      l.sumDiffSq += row[at + 2]!;
      l.sumModelDiff += row[at + 3]!;
    });
    const st = acc.stance;
    st.n += n;
    st.sumModel += sm;
    st.sumModelSq += smm;
    st.nSample += sns;
    st.sumDiff += sd;
    st.sumDiffSq += sdd;
    st.sumModelDiff += smd;
  }
  const rows = [...perUnit.entries()].map(
    ([key, acc]): CorrectedRow => ({
      ...units.unit(key),
      n: acc.stance.n,
      nSample: acc.nSample,
      labels: Object.fromEntries(acc.labels.map((sums, k) => [labels[k]!.id, withinScale(correctedEstimate(sums), 0, 1)])),
      stance: withinScale(correctedEstimate(acc.stance), codebook.stance.min, codebook.stance.max),
    }),
  );
  return {
    level: f.level,
    statement: correctionSample.statement,
    codebook,
    groupBy: units.grouping,
    others: units.others,
    rows: rows.sort(units.order),
  };
}
