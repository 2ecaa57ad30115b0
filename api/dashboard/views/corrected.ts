import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { correctedEstimate, CorrectedEstimateSchema, withinScale, type CorrectionSums } from '../corrected.ts';
import { correctionSample } from '../../items/provenance.ts';
import { rollupSources, scope, type DashboardFilters } from '../filters.ts';
import { codebookFor, CodebookViewSchema, LevelSchema, sourceNames, StatementSchema } from './common.ts';
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

/** Per group of (source, model label, human label on the sample): items, and the stance sums the correction needs. */
interface Group {
  sourceId: number;
  suggested: string;
  reviewed: string | null;
  n: number;
  sm: number;
  smm: number;
  sns: number;
  sd: number;
  sdd: number;
  smd: number;
}

function fromRollups(db: Db, f: DashboardFilters): Group[] {
  return db.all<Group>(sql`
    SELECT source_id AS sourceId, suggested, CASE WHEN reviewed <> '' THEN reviewed END AS reviewed, n, sm, smm, sns, sd, sdd, smd
    FROM ${viewTable({ ...f, basis: '' }, 'corrected_rollups')} WHERE level = ${f.level}${rollupSources(f)} ORDER BY source_id, suggested, reviewed`);
}

function fromItems(db: Db, f: DashboardFilters): Group[] {
  const s = scope(f);
  const { inSample, human, diff } = correctionSample;
  const stanceSample = sql`${inSample} AND ${diff} IS NOT NULL`;
  return db.all<Group>(sql`
    SELECT i.source_id AS sourceId, i.suggested_label AS suggested, CASE WHEN ${inSample} THEN ${human} END AS reviewed, count(*) AS n,
           sum(i.suggested_stance) AS sm, sum(i.suggested_stance * i.suggested_stance) AS smm,
           coalesce(sum(${stanceSample}), 0) AS sns,
           coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} END), 0) AS sd,
           coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} * ${diff} END), 0) AS sdd,
           coalesce(sum(CASE WHEN ${stanceSample} THEN i.suggested_stance * ${diff} END), 0) AS smd
    FROM ${s.from} ${correctionSample.join}
    WHERE ${s.where} AND i.suggested_label IS NOT NULL GROUP BY 1, 2, 3`);
}

/**
 * Per source: the model's label shares and mean stance over every suggested item, corrected by
 * the mean human − model difference on the random reviewed sample (reviews made in the queue's
 * random order or blind), with intervals that carry both sources of uncertainty.
 */
export function correctedEstimates(db: Db, f: DashboardFilters): Corrected {
  const codebook = codebookFor(db, f);
  // Grouped by (source, model label, human label on the sample): few groups, from which every
  // label's sums follow; the stance sums are carried per group.
  const groups = readView(f, { rollups: () => fromRollups(db, f), scan: () => fromItems(db, f) });
  const empty = (): CorrectionSums => ({ n: 0, sumModel: 0, sumModelSq: 0, nSample: 0, sumDiff: 0, sumDiffSq: 0, sumModelDiff: 0 });
  const units = unitsFor(db, f, sourceNames(db));
  // A group's sums are its sources' sums: the estimator is a mean over the group's items.
  const perUnit = new Map<string, { labels: Map<string, CorrectionSums>; stance: CorrectionSums; nSample: number }>();
  for (const g of groups) {
    const key = units.keyOf(g.sourceId);
    let acc = perUnit.get(key);
    if (!acc) perUnit.set(key, (acc = { labels: new Map(codebook.labels.map((l) => [l.id, empty()])), stance: empty(), nSample: 0 }));
    const inSampleGroup = g.reviewed !== null;
    if (inSampleGroup) acc.nSample += g.n;
    for (const [label, sums] of acc.labels) {
      const yhat = g.suggested === label ? 1 : 0;
      sums.n += g.n;
      sums.sumModel += g.n * yhat;
      sums.sumModelSq += g.n * yhat;
      if (inSampleGroup) {
        const d = (g.reviewed === label ? 1 : 0) - yhat;
        sums.nSample += g.n;
        sums.sumDiff += g.n * d;
        sums.sumDiffSq += g.n * d * d;
        sums.sumModelDiff += g.n * yhat * d;
      }
    }
    const st = acc.stance;
    st.n += g.n;
    st.sumModel += g.sm;
    st.sumModelSq += g.smm;
    st.nSample += g.sns;
    st.sumDiff += g.sd;
    st.sumDiffSq += g.sdd;
    st.sumModelDiff += g.smd;
  }
  const rows = [...perUnit.entries()].map(
    ([key, acc]): CorrectedRow => ({
      ...units.unit(key),
      n: acc.stance.n,
      nSample: acc.nSample,
      labels: Object.fromEntries([...acc.labels].map(([label, sums]) => [label, withinScale(correctedEstimate(sums), 0, 1)])),
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
