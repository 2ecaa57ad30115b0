import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { taggingRuns, type TaggingRun } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import type { Db } from '../../db/client.ts';
import { reopenTarget } from '../../db/target.ts';
import type { Job, JobContext, JobDeps, JobKindSpec, JobOutcome } from '../jobs/types.ts';
import { planOfRun, type RunPlan } from './request.ts';
import { getRun, runFailures } from './runs.ts';
import { materialiseRunItems } from './selection.ts';
import { inlineSink, threadSink } from './sink.ts';
import { tagPendingItems } from './worker.ts';

/** What a tagging job reports when it stops: the run's status and counts. */
export const TaggingJobResultSchema = z
  .object({ runId: z.number().int(), status: z.enum(taggingRuns.status.enumValues), itemsDone: z.number().int(), itemsCached: z.number().int(), itemsFailed: z.number().int(), costUsd: z.number() })
  .meta({ id: 'TaggingJobResult' });

/** A tagging job's parameters: the run it works on (the run row holds the request and provenance). */
export interface TaggingJobParams {
  runId: number;
}

const processedOf = (run: TaggingRun) => run.itemsDone + run.itemsFailed + run.itemsCached;

/** Pending items from which a run's writes get a thread of their own (below, its start-up costs more than it saves). */
const THREAD_SINK_MIN_ITEMS = 5_000;

/**
 * Runs a tagging run as a job: selects its items (first time only, in batches), then tags the
 * pending ones. Resumable: the item list and every written outcome are in the database, so a
 * resume asks only about what is still pending.
 */
export const taggingJob: JobKindSpec<TaggingJobParams> = {
  kind: 'tagging',
  resumable: true,
  describe: (p) => `tagging run ${p.runId}`,
  result: TaggingJobResultSchema,
  async run(ctx): Promise<JobOutcome> {
    const { db, now } = ctx.deps;
    const started = await startRun(ctx);
    if ('state' in started) return started;
    const { run, plan } = started;
    const finishRun = (status: TaggingRun['status'], error: string | null) => finishTaggingRun(db, now, run.id, status, error);

    let counts = { done: processedOf(run), failed: run.itemsFailed, cost: run.costUsd };
    ctx.progress({ phase: 'tagging', unit: 'items', total: run.itemsTotal, done: counts.done, failed: counts.failed, costUsd: counts.cost });
    // A large run on a database file writes from a thread of its own, in parallel with classifying.
    const sink = !db.$client.memory && run.itemsTotal - counts.done >= THREAD_SINK_MIN_ITEMS ? threadSink(reopenTarget(db), run.id, plan.codebookId, ctx.deps.writeGate?.buffer) : inlineSink(db, run.id, plan.codebookId, now);
    let work;
    try {
      work = await tagPendingItems(db, run, plan, sink, {
        signal: ctx.signal,
        yield: ctx.yield,
        onWritten: (t) => {
          counts = { done: counts.done + t.done + t.failed + t.cached, failed: counts.failed + t.failed, cost: counts.cost + t.costUsd };
          ctx.progress({ done: counts.done, failed: counts.failed, costUsd: counts.cost });
        },
        onRateLimit: (rateLimit) => ctx.progress({ rateLimit }),
      });
    } finally {
      await sink.close();
    }

    if (work.stop === 'cancelled') return finishRun(ctx.signal.reason === 'shutdown' ? 'interrupted' : 'cancelled', null);
    if (work.stop !== 'done') return finishRun(work.stop, work.error);
    return finishWorkedRun(db, now, run.id);
  },
  onStopped: stoppedRun,
};

/**
 * The start of a run's job (online or batch): marks it running and, the first time, writes its
 * item list. Returns the job's outcome instead when the selection was stopped.
 */
export async function startRun(ctx: JobContext<TaggingJobParams>): Promise<{ run: TaggingRun; plan: RunPlan } | JobOutcome> {
  const { db, now } = ctx.deps;
  let run = getRun(db, ctx.params.runId);
  const plan = planOfRun(ctx.deps, run);
  const iso = () => now().toISOString();
  db.update(taggingRuns).set({ status: 'running', startedAt: run.startedAt ?? iso(), heartbeatAt: iso(), finishedAt: null, error: null }).where(eq(taggingRuns.id, run.id)).run();
  if (!run.itemsSelectedAt) {
    ctx.progress({ phase: 'selecting', unit: 'items', done: 0, total: run.itemsTotal });
    const selected = await materialiseRunItems(db, run, plan.options, { signal: ctx.signal, yield: ctx.yield, onProgress: (n) => ctx.progress({ done: n }), now });
    if (selected === 'aborted') return finishTaggingRun(db, now, run.id, ctx.signal.reason === 'shutdown' ? 'interrupted' : 'cancelled', null);
    run = getRun(db, run.id);
  }
  return { run, plan };
}

/** Ends a run whose items were all worked through: completed, or failed when every item failed. */
export function finishWorkedRun(db: Db, now: () => Date, runId: number): JobOutcome {
  const after = getRun(db, runId);
  if (after.itemsFailed > 0 && after.itemsDone + after.itemsCached === 0) {
    // Nothing came back: a run of failures is a failed run, whatever the reason of each.
    const first = runFailures(db, runId, 1)[0];
    return finishTaggingRun(db, now, runId, 'failed', `every item failed (${after.itemsFailed} of ${after.itemsTotal})${first ? `; the first: ${first.errorKind}: ${first.error}` : ''}`);
  }
  return finishTaggingRun(db, now, runId, 'completed', null);
}

/** Records how a run ended (audited) and the job outcome that says the same. */
export function finishTaggingRun(db: Db, now: () => Date, runId: number, status: TaggingRun['status'], error: string | null): JobOutcome {
  const iso = now().toISOString();
  const final = db.transaction((tx) => {
    audit(tx, { actor: 'system', action: `tagging_run.${status}`, entityType: 'tagging_run', entityId: runId, details: error ? { error } : null });
    return tx.update(taggingRuns).set({ status, finishedAt: iso, heartbeatAt: iso, error }).where(eq(taggingRuns.id, runId)).returning().get();
  });
  const result = { runId: final.id, status: final.status, itemsDone: final.itemsDone, itemsCached: final.itemsCached, itemsFailed: final.itemsFailed, costUsd: final.costUsd };
  if (status === 'completed') return { state: 'completed', result };
  if (status === 'cancelled' || status === 'interrupted') return { state: 'cancelled', result };
  return { state: 'failed', error, result };
}

/** A run's row in line with its job that stopped without its code finishing. */
export function stoppedRun({ db, now }: Pick<JobDeps, 'db' | 'now'>, job: Job): void {
  const runId = job.taggingRunId;
  if (runId === null) return;
  const status: TaggingRun['status'] = job.state === 'interrupted' ? 'interrupted' : job.state === 'cancelled' ? 'cancelled' : 'failed';
  db.update(taggingRuns).set({ status, error: job.error, finishedAt: now().toISOString() }).where(eq(taggingRuns.id, runId)).run();
}
