import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { items, modelComparisonItems, modelComparisons, taggingRuns, type ModelComparison, type TaggingRun } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { badRequest, notFound } from '../errors.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';
import { seededRandom } from '../metrics/rng.ts';
import { resolvePlan, RunRequestSchema, type RunRequest } from './request.ts';
import { createRun, type TaggingJobDeps } from './runs.ts';

/** The largest sample a comparison takes: enough to pick a model, small enough to report on at once. */
export const MAX_COMPARISON_SAMPLE = 2_000;
/** Arms per comparison. */
export const MAX_COMPARISON_ARMS = 4;

/** One arm: a provider profile, a model or a prompt version (what differs between the runs). */
export const ComparisonArmSchema = z.object({
  provider: z.enum(['openai', 'local']).optional(),
  profileId: z.number().int().positive().optional(),
  model: z.string().min(1).max(200).optional(),
  promptVersions: z.object({ passage: z.string().min(1).optional(), document: z.string().min(1).optional() }).optional(),
});

/** A comparison as the Tagging page and the API ask for it. */
export const ComparisonRequestSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  arms: z.array(ComparisonArmSchema).min(2, 'a comparison needs at least two arms').max(MAX_COMPARISON_ARMS, `at most ${MAX_COMPARISON_ARMS} arms`),
  /** Items in the sample (fewer when the selection holds fewer). */
  sampleSize: z.number().int().min(1).max(MAX_COMPARISON_SAMPLE),
  /** The same seed over the same corpus draws the same sample. */
  seed: z.number().int().min(0).max(2_147_483_647).default(1),
  levels: z.array(z.enum(['passage', 'document'])).min(1).default(['passage']),
  selection: z.object({ sourceIds: z.array(z.number().int().positive()).max(MAX_IDS_PER_LIST, tooManyIds()).optional() }).default({}),
  concurrency: z.number().int().min(1).max(256).default(4),
  maskOutlet: z.boolean().default(false),
  /** USD per arm; each arm's run stops before spending more. */
  budgetUsd: z.number().positive().optional(),
  /** Price overrides, USD per 1M tokens by model (as for a run). */
  prices: RunRequestSchema.shape.prices,
});
export type ComparisonRequest = z.input<typeof ComparisonRequestSchema>;

/**
 * The seeded sample: every eligible item id (not excluded, of the levels, in the sources), in id
 * order, then a partial Fisher-Yates shuffle by the seed. Reads ids only.
 */
export function drawSample(db: DbOrTx, levels: readonly ('passage' | 'document')[], sourceIds: readonly number[] | undefined, size: number, seed: number): number[] {
  const conditions = [inArray(items.level, [...levels]), eq(items.excluded, false)];
  if (sourceIds?.length) conditions.push(inArray(items.sourceId, [...sourceIds]));
  const ids = db.select({ id: items.id }).from(items).where(and(...conditions)).orderBy(asc(items.id)).all().map((r) => r.id);
  const random = seededRandom(seed);
  const n = Math.min(size, ids.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (ids.length - i));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, n).sort((a, b) => a - b);
}

/** A comparison with its arms' runs (in arm order). */
export interface ComparisonWithRuns {
  comparison: ModelComparison;
  items: number;
  runs: TaggingRun[];
}

/**
 * Draws and stores the seeded sample, then records one tagging run per arm over exactly that
 * sample (each a job), all in one transaction: a refused arm (unknown profile, model or prompt)
 * records nothing. Answers at once.
 */
export function createComparison(deps: TaggingJobDeps, request: ComparisonRequest, actor = 'cli'): ComparisonWithRuns {
  const parsed = ComparisonRequestSchema.safeParse(request);
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '), 'invalid_run_request');
  const r = parsed.data;
  const codebook = getActiveCodebook(deps.db);
  const runRequest = (arm: z.output<typeof ComparisonArmSchema>, comparisonId: number): RunRequest => ({
    ...arm,
    codebookId: codebook.id,
    levels: r.levels,
    selection: { comparisonId },
    concurrency: r.concurrency,
    maskOutlet: r.maskOutlet,
    budgetUsd: r.budgetUsd,
    prices: r.prices,
  });
  // Every arm is resolved before anything is stored, so a bad one is named and nothing is left half made.
  r.arms.forEach((arm, i) => {
    try {
      resolvePlan(deps, { ...runRequest(arm, 1), selection: {} });
    } catch (err) {
      throw badRequest(`arm ${i + 1}: ${(err as Error).message}`, 'invalid_run_request');
    }
  });
  const now = deps.now();
  const created = deps.db.transaction((tx) => {
    const sample = drawSample(tx, r.levels, r.selection.sourceIds, r.sampleSize, r.seed);
    if (sample.length === 0) throw badRequest('the selection has no items to sample (nothing imported, or everything excluded)', 'empty_selection');
    const comparison = tx
      .insert(modelComparisons)
      .values({ name: r.name ?? `comparison of ${r.arms.length} models`, codebookId: codebook.id, levels: r.levels, sampleSize: r.sampleSize, seed: r.seed, selection: r.selection, createdBy: actor, createdAt: now.toISOString() })
      .returning()
      .get();
    for (let i = 0; i < sample.length; i += 500) {
      tx.insert(modelComparisonItems).values(sample.slice(i, i + 500).map((itemId) => ({ comparisonId: comparison.id, itemId }))).run();
    }
    audit(tx, { actor, action: 'comparison.create', entityType: 'model_comparison', entityId: comparison.id, after: { arms: r.arms, sampleSize: r.sampleSize, seed: r.seed, items: sample.length } });
    const runs = r.arms.map((arm) => createRun({ ...deps, db: tx as unknown as TaggingJobDeps['db'] }, runRequest(arm, comparison.id), actor, { wake: false }).run);
    return { comparison, items: sample.length, runs };
  });
  deps.jobs.wake();
  return created;
}

/** A comparison and its runs, arms in the order they were asked for. */
export function getComparison(db: DbOrTx, id: number): ComparisonWithRuns {
  const comparison = db.select().from(modelComparisons).where(eq(modelComparisons.id, id)).get();
  if (!comparison) throw notFound(`model comparison ${id} not found`);
  const runs = db.select().from(taggingRuns).where(eq(taggingRuns.comparisonId, id)).orderBy(asc(taggingRuns.id)).all();
  const n = db.select({ n: sql<number>`count(*)` }).from(modelComparisonItems).where(eq(modelComparisonItems.comparisonId, id)).get()!.n;
  return { comparison, items: n, runs };
}

/** Comparisons, newest first, with their runs. */
export function listComparisons(db: DbOrTx, limit = 50): ComparisonWithRuns[] {
  return db
    .select({ id: modelComparisons.id })
    .from(modelComparisons)
    .orderBy(desc(modelComparisons.id))
    .limit(limit)
    .all()
    .map((c) => getComparison(db, c.id));
}
