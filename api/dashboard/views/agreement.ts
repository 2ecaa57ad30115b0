import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { cohenKappaOfCounts } from '../../metrics/agreement.ts';
import { INDEPENDENT_REVIEW_JOIN, IN_RANDOM_SAMPLE, MODEL_PEOPLE_STATEMENT, modelPeoplePairs } from '../../items/provenance.ts';
import { rollupSources, scope, type DashboardFilters } from '../filters.ts';
import { codebookFor, CodebookViewSchema, LevelSchema, StatementSchema } from './common.ts';
import { mergeByUnit, UnitFields, unitsFor } from '../groups.ts';
import { readView } from './read.ts';
import { viewTable } from './days.ts';
import { countWhere } from '../../../db/sqlDialect.ts';

const ProgressSchema = z.object({
  ...UnitFields,
  items: z.number().int(),
  suggested: z.number().int(),
  unreviewed: z.number().int(),
  reviewed: z.number().int(),
  rejected: z.number().int(),
  disputed: z.number().int(),
  adjudicated: z.number().int(),
  randomSample: z.number().int(),
});

/** Suggested against independent human labels, and review progress per source. */
export const AgreementSchema = z
  .object({
    level: LevelSchema,
    statement: StatementSchema,
    codebook: CodebookViewSchema,
    /** suggested label → independent human label → count, over items with both. */
    confusion: z.array(z.object({ suggested: z.string(), reviewed: z.string(), count: z.number().int() })),
    pairs: z.number().int(),
    percentAgreement: z.number().nullable(),
    cohenKappa: z.number().nullable(),
    /** Mean |reviewed − suggested| stance over the same items. */
    meanAbsStanceDifference: z.number().nullable(),
    /** The grouping progress rows stand for; null: per source. */
    groupBy: z.string().nullable(),
    /** Sources (or groups) beyond `top` summed in the others row. */
    others: z.number().int(),
    progress: z.array(ProgressSchema),
  })
  .meta({ id: 'DashboardAgreement' });
export type Agreement = z.infer<typeof AgreementSchema>;

/** A confusion cell with the stance differences behind it. */
interface Cell {
  suggested: string;
  reviewed: string;
  count: number;
  absDiff: number | null;
  stancePairs: number;
}
type Progress = Omit<z.infer<typeof ProgressSchema>, 'source' | 'group' | 'sourceId'> & { sourceId: number };

const PROGRESS_COUNTS = ['items', 'suggested', 'unreviewed', 'reviewed', 'rejected', 'disputed', 'adjudicated', 'randomSample'] as const;

function fromRollups(db: Db, f: DashboardFilters): { confusion: Cell[]; progress: Progress[] } {
  const sources = rollupSources(f);
  return {
    confusion: db.all(sql`
      SELECT suggested, reviewed, sum(n) AS count, sum(abs_diff) AS "absDiff", sum(stance_pairs) AS "stancePairs"
      FROM ${viewTable({ ...f, basis: '' }, 'agreement_rollups')} WHERE level = ${f.level}${sources} GROUP BY 1, 2 ORDER BY 1, 2`),
    progress: db.all(sql`
      SELECT source_id AS "sourceId", sum(n) AS items, sum(suggested) AS suggested,
             sum(CASE WHEN review_status = 'unreviewed' THEN n ELSE 0 END) AS unreviewed, sum(CASE WHEN review_status = 'reviewed' THEN n ELSE 0 END) AS reviewed,
             sum(CASE WHEN review_status = 'rejected' THEN n ELSE 0 END) AS rejected, sum(CASE WHEN review_status = 'disputed' THEN n ELSE 0 END) AS disputed, sum(CASE WHEN review_status = 'adjudicated' THEN n ELSE 0 END) AS adjudicated,
             sum(random_sample) AS "randomSample"
      FROM ${viewTable({ ...f, basis: '' }, 'source_status_rollups')} WHERE level = ${f.level}${sources} GROUP BY source_id`),
  };
}

function fromItems(db: Db, f: DashboardFilters): { confusion: Cell[]; progress: Progress[] } {
  const s = scope(f);
  return {
    confusion: db.all(sql`
      SELECT ${modelPeoplePairs.suggested} AS suggested, ${modelPeoplePairs.people} AS reviewed, count(*) AS count,
             sum(abs(${modelPeoplePairs.stanceDifference})) AS "absDiff", count(${modelPeoplePairs.stanceDifference}) AS "stancePairs"
      FROM ${s.from} WHERE ${s.where} AND ${modelPeoplePairs.where}
      GROUP BY 1, 2 ORDER BY 1, 2`),
    progress: db.all(sql`
      SELECT i.source_id AS "sourceId", count(*) AS items, count(i.suggested_label) AS suggested,
             coalesce(${countWhere(sql`i.review_status = 'unreviewed'`)}, 0) AS unreviewed, coalesce(${countWhere(sql`i.review_status = 'reviewed'`)}, 0) AS reviewed,
             coalesce(${countWhere(sql`i.review_status = 'rejected'`)}, 0) AS rejected, coalesce(${countWhere(sql`i.review_status = 'disputed'`)}, 0) AS disputed,
             coalesce(${countWhere(sql`i.review_status = 'adjudicated'`)}, 0) AS adjudicated, coalesce(${countWhere(IN_RANDOM_SAMPLE)}, 0) AS "randomSample"
      FROM ${s.from} ${INDEPENDENT_REVIEW_JOIN} WHERE ${s.where} GROUP BY i.source_id`),
  };
}

/** Confusion matrix of suggested vs independent human labels, agreement, and review progress per source. */
export function modelAndPeople(db: Db, f: DashboardFilters): Agreement {
  const { confusion, progress } = readView(f, { rollups: () => fromRollups(db, f), scan: () => fromItems(db, f) });
  const pairs = confusion.reduce((a, r) => a + r.count, 0);
  const agree = confusion.filter((r) => r.suggested === r.reviewed).reduce((a, r) => a + r.count, 0);
  const kappa = cohenKappaOfCounts(confusion.map((r) => ({ a: r.suggested, b: r.reviewed, count: r.count })));
  const stancePairs = confusion.reduce((a, r) => a + r.stancePairs, 0);
  const absDiff = confusion.reduce((a, r) => a + (r.absDiff ?? 0), 0);
  const units = unitsFor(db, f);
  const progressRows = mergeByUnit(progress, units, (into, r) => PROGRESS_COUNTS.forEach((k) => (into[k] += r[k])), (r) => ({ ...r }));
  return {
    level: f.level,
    statement: MODEL_PEOPLE_STATEMENT,
    codebook: codebookFor(db, f),
    confusion: confusion.map(({ suggested, reviewed, count }) => ({ suggested, reviewed, count })),
    pairs,
    percentAgreement: pairs > 0 ? agree / pairs : null,
    cohenKappa: Number.isNaN(kappa) ? null : kappa,
    meanAbsStanceDifference: stancePairs > 0 ? absDiff / stancePairs : null,
    groupBy: units.grouping,
    others: units.others,
    progress: progressRows.map(({ key, sums: { sourceId: _, ...counts } }) => ({ ...counts, ...units.unit(key) })).sort(units.order),
  };
}
