import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { suggestions, taggingRunItems, taggingRuns, type Job, type TaggingRun } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { JobRunner } from '../jobs/runner.ts';
import { initialProgress } from '../jobs/types.ts';
import { estimatePlan } from './estimate.ts';
import { registerPromptVersion } from './prompts.ts';
import { resolvePlan, RunRequestSchema, type RunRequest, type TaggingDeps } from './request.ts';
import type { RunProgress } from './schemas.ts';

export { RunRequestSchema, type RunRequest, type TaggingDeps } from './request.ts';
export { estimateRun } from './estimate.ts';

/** The tagging services with the job runner that executes runs. */
export interface TaggingJobDeps extends TaggingDeps {
  jobs: JobRunner;
}

export function getRun(db: Db, runId: number): TaggingRun {
  const run = db.select().from(taggingRuns).where(eq(taggingRuns.id, runId)).get();
  if (!run) throw notFound(`tagging run ${runId} not found`);
  return run;
}

/** Runs, newest first. */
export function listRuns(db: Db, limit = 50): TaggingRun[] {
  return db.select().from(taggingRuns).orderBy(desc(taggingRuns.id)).limit(limit).all();
}

/** The run's items that failed, with their reasons. */
export function runFailures(db: Db, runId: number, limit = 1_000) {
  return db
    .select({ itemId: taggingRunItems.itemId, errorKind: taggingRunItems.errorKind, error: taggingRunItems.error, attempts: taggingRunItems.attempts })
    .from(taggingRunItems)
    .where(and(eq(taggingRunItems.runId, runId), eq(taggingRunItems.status, 'failed')))
    .orderBy(asc(taggingRunItems.itemId))
    .limit(limit)
    .all();
}

/** The job that works (or worked last) on a run; null for a run recorded before runs were jobs. */
export function jobOfRun(jobs: JobRunner, runId: number): Job | null {
  return jobs.queue.list({ taggingRunId: runId, limit: 1 })[0] ?? null;
}

/** A run's progress from its row, with rate, ETA and phase from its job. */
export function progressOf(run: TaggingRun, job: Job | null = null): RunProgress {
  const p = job?.state === 'running' ? job.progress : null;
  return {
    runId: run.id,
    jobId: job?.id ?? null,
    status: run.status,
    phase: job?.state === 'queued' ? 'queued' : (p?.phase ?? (run.status === 'running' ? 'tagging' : run.status)),
    provider: run.provider,
    model: run.model,
    itemsTotal: run.itemsTotal,
    itemsDone: run.itemsDone,
    itemsFailed: run.itemsFailed,
    itemsCached: run.itemsCached,
    costUsd: run.costUsd,
    ratePerSec: p && p.phase === 'tagging' ? p.ratePerSec : 0,
    etaSec: p && p.phase === 'tagging' ? p.etaSec : null,
    error: run.error,
    message: p?.message ?? null,
    rateLimit: job?.progress?.rateLimit ?? null,
  };
}

/**
 * Records a run and the job that will execute it, in one transaction; answers at once (the
 * item list is written by the job). The estimate comes from SQL aggregates, so this reads no
 * text. Registers the prompt versions it uses (refusing a prompt file changed after use).
 * `claimBy` records the job already claimed by that owner (the CLI runs it itself); `wake: false`
 * leaves the job queued for a caller that records it inside a larger transaction and wakes the
 * runner once that has committed (a worker thread reads only committed rows).
 */
export function createRun(deps: TaggingJobDeps, request: RunRequest, actor = 'cli', opts: { claimBy?: string; wake?: boolean } = {}): { run: TaggingRun; job: Job } {
  const plan = resolvePlan(deps, request);
  const { options: o, provider, prompts } = plan;
  if (o.batch && !provider.batch) throw badRequest(`${provider.displayName} has no Batch API: batch runs need an OpenAI-compatible provider that offers one`, 'batch_unsupported');
  if (o.budgetUsd !== undefined && provider.price === null) {
    throw badRequest(`no price is known for model ${provider.model}, so a budget cap cannot be enforced; add it with prices`, 'unknown_price');
  }
  const estimate = estimatePlan(deps.db, plan);
  if (estimate.items === 0) throw badRequest('the selection has no items to tag (nothing imported, everything excluded, or everything already tagged)', 'empty_selection');
  const { prices: _prices, ...storedOptions } = o;
  const now = deps.now();
  const created = deps.db.transaction((tx) => {
    for (const p of Object.values(prompts)) registerPromptVersion(tx, p!);
    const run = tx
      .insert(taggingRuns)
      .values({
        status: 'pending',
        provider: provider.name,
        model: provider.model,
        codebookId: plan.codebookId,
        promptVersions: Object.fromEntries(Object.entries(prompts).map(([l, p]) => [l, p!.id])),
        selection: o.selection,
        comparisonId: o.selection.comparisonId ?? null,
        options: { ...storedOptions, ...(o.prices ? { prices: o.prices } : {}), providerParams: provider.params },
        itemsTotal: estimate.items,
        estimatedCostUsd: estimate.estimatedCostUsd,
        budgetUsd: o.budgetUsd ?? null,
        createdBy: actor,
        createdAt: now.toISOString(),
      })
      .returning()
      .get();
    audit(tx, { actor, action: 'tagging_run.create', entityType: 'tagging_run', entityId: run.id, after: { provider: run.provider, model: run.model, items: estimate.items, selection: o.selection, levels: o.levels } });
    const job = deps.jobs.queue.enqueue({ kind: jobKindOf(o), params: { runId: run.id }, createdBy: actor, taggingRunId: run.id, progress: initialProgress('queued', 'items', estimate.items), claimBy: opts.claimBy }, now, tx);
    return { run, job };
  });
  if (!opts.claimBy && opts.wake !== false) deps.jobs.wake();
  return created;
}

/** The job kind that executes a run: online requests, or the provider's Batch API. */
const jobKindOf = (options: { batch: boolean }) => (options.batch ? 'tagging_batch' : 'tagging');

/** Asks a run's job to stop; requests in flight are dropped and their items stay pending for a resume. */
export function cancelRun(deps: TaggingJobDeps, runId: number, actor = 'cli'): TaggingRun {
  const run = getRun(deps.db, runId);
  const job = jobOfRun(deps.jobs, runId);
  if (job && (job.state === 'queued' || job.state === 'running')) {
    deps.jobs.cancel(job.id, actor);
    return getRun(deps.db, runId);
  }
  if (run.status === 'completed' || run.status === 'cancelled') return run;
  if (job) deps.jobs.cancel(job.id, actor);
  return deps.db.transaction((tx) => {
    audit(tx, { actor, action: 'tagging_run.cancel', entityType: 'tagging_run', entityId: runId });
    return tx.update(taggingRuns).set({ status: 'cancelled', finishedAt: deps.now().toISOString() }).where(eq(taggingRuns.id, runId)).returning().get();
  });
}

/**
 * Puts a stopped run (cancelled, over budget, failed, or interrupted by a kill) back to work
 * with its pending items, optionally with a new budget. Returns the run and its job (queued,
 * or claimed by `claimBy`).
 */
export function resumeRun(deps: TaggingJobDeps, runId: number, actor = 'cli', opts: { budgetUsd?: number; claimBy?: string } = {}): { run: TaggingRun; job: Job } {
  const run = getRun(deps.db, runId);
  if (run.status === 'completed') throw conflict(`tagging run ${runId} is already completed`, 'run_completed');
  const existing = jobOfRun(deps.jobs, runId);
  if (existing && (existing.state === 'queued' || existing.state === 'running')) throw conflict(`tagging run ${runId} is already running (job ${existing.id})`, 'run_active');
  if (opts.budgetUsd !== undefined) deps.db.update(taggingRuns).set({ budgetUsd: opts.budgetUsd }).where(eq(taggingRuns.id, runId)).run();
  const job = existing
    ? deps.jobs.queue.resume(existing.id, actor, deps.now(), opts.claimBy)
    : deps.jobs.queue.enqueue({ kind: jobKindOf(RunRequestSchema.parse(run.options)), params: { runId }, createdBy: actor, taggingRunId: runId, claimBy: opts.claimBy }, deps.now());
  if (!opts.claimBy) deps.jobs.wake();
  return { run: getRun(deps.db, runId), job };
}

/** Every suggestion of an item with its provenance, newest first. */
export function itemSuggestions(db: Db, itemId: number) {
  const rows = db.select().from(suggestions).where(eq(suggestions.itemId, itemId)).orderBy(desc(suggestions.id)).all();
  if (rows.length === 0 && !db.$client.prepare('SELECT 1 FROM items WHERE id = ?').get(itemId)) throw notFound(`item ${itemId} not found`);
  return rows;
}
