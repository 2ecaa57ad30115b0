import { badRequest } from '../errors.ts';
import type { JobContext, JobKindSpec, JobOutcome } from '../jobs/types.ts';
import { FINISHED_BATCH_STATUSES } from '../providers/types.ts';
import { applyBatch } from './batchApply.ts';
import { openBatches, runBatches, unassignedCount, updateBatch } from './batchStore.ts';
import { batchEstimateUsd, sendBatch, submitPending, type BatchWork } from './batchSubmit.ts';
import { finishTaggingRun, finishWorkedRun, startRun, stoppedRun, TaggingJobResultSchema, type TaggingJobParams } from './job.ts';
import { getRun } from './runs.ts';
import { inlineSink } from './sink.ts';

const processed = (r: { itemsDone: number; itemsFailed: number; itemsCached: number }) => r.itemsDone + r.itemsFailed + r.itemsCached;

/** Waits `ms`, or less when the job is asked to stop. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/** One line on where the run's batches are, for the progress bar and the run page. */
function batchMessage(work: BatchWork): string {
  const rows = runBatches(work.db, work.run.id);
  const open = rows.filter((b) => b.status === 'submitted');
  const waiting = open.reduce((n, b) => n + b.requests, 0);
  const answered = open.reduce((n, b) => n + b.requestsCompleted + b.requestsFailed, 0);
  const states = [...new Set(open.map((b) => b.providerStatus ?? 'submitted'))].join(', ');
  return `${rows.length} batch${rows.length === 1 ? '' : 'es'}, ${rows.filter((b) => b.status === 'applied').length} applied${open.length ? `; ${open.length} ${states}: ${answered}/${waiting} requests answered` : ''}`;
}

/**
 * A batch run as a job: selects its items (first time only), then submits the pending ones
 * through the provider's Batch API, polls each batch (a resumable step: the batch ids are
 * stored, so a restarted process polls the same batches and never submits their items again),
 * applies what came back, and submits again what did not, until every item is answered or
 * failed. Cancelling cancels the batches in flight at the provider; a shutdown leaves them
 * running, to be picked up on resume.
 */
export const batchTaggingJob: JobKindSpec<TaggingJobParams> = {
  kind: 'tagging_batch',
  resumable: true,
  // A batch can take 24 h at the provider: a restarted server goes on polling it by itself.
  autoResume: true,
  describe: (p) => `batch tagging run ${p.runId}`,
  result: TaggingJobResultSchema,
  async run(ctx: JobContext<TaggingJobParams>): Promise<JobOutcome> {
    const { db, now, config } = ctx.deps;
    const started = await startRun(ctx);
    if ('state' in started) return started;
    const { run, plan } = started;
    const api = plan.provider.batch;
    if (!api) throw badRequest(`${plan.provider.displayName} has no Batch API; run it without batch`, 'batch_unsupported');
    const stopped = async () => {
      if (ctx.signal.reason === 'shutdown') return finishTaggingRun(db, now, run.id, 'interrupted', null);
      await cancelAtProvider(work);
      return finishTaggingRun(db, now, run.id, 'cancelled', null);
    };

    let counts = { done: processed(run), failed: run.itemsFailed, cost: run.costUsd };
    const sink = inlineSink(db, run.id, plan.codebookId, now);
    const work: BatchWork = {
      db,
      run,
      plan,
      api,
      limits: config.batch,
      now,
      sink,
      signal: ctx.signal,
      yield: ctx.yield,
      onWritten: (t) => {
        counts = { done: counts.done + t.done + t.failed + t.cached, failed: counts.failed + t.failed, cost: counts.cost + t.costUsd };
        ctx.progress({ done: counts.done, failed: counts.failed, costUsd: counts.cost });
      },
    };
    const report = (phase: string) => ctx.progress({ phase, unit: 'items', total: run.itemsTotal, done: counts.done, failed: counts.failed, costUsd: counts.cost, message: batchMessage(work) });

    try {
      let budgetHit = false;
      for (;;) {
        if (ctx.signal.aborted) break;
        // What open batches are expected to cost is committed already.
        const committed = counts.cost + openBatches(db, run.id).reduce((usd, b) => usd + batchEstimateUsd(api, b.requests, b.bytes), 0);
        const unsent = openBatches(db, run.id).filter((b) => b.status !== 'submitted');
        const toSubmit = !budgetHit && unassignedCount(db, run.id) > 0;
        if (unsent.length > 0 || toSubmit) report('submitting');
        for (const b of unsent) if (!ctx.signal.aborted) await sendBatch(work, b);
        if (toSubmit && !ctx.signal.aborted) budgetHit = (await submitPending(work, committed)).budgetHit;
        const open = openBatches(db, run.id).filter((b) => b.status === 'submitted');
        if (open.length === 0 || ctx.signal.aborted) break;
        report('waiting');
        let finished = 0;
        for (const b of open) {
          if (ctx.signal.aborted) break;
          const info = await api.retrieve(b.providerBatchId!, ctx.signal);
          const row = updateBatch(db, b.id, { providerStatus: info.status, requestsCompleted: info.requests.completed, requestsFailed: info.requests.failed, outputFileId: info.outputFileId, errorFileId: info.errorFileId });
          if (!FINISHED_BATCH_STATUSES.has(info.status)) continue;
          report('applying');
          await applyBatch(work, row, info);
          finished++;
        }
        report('waiting');
        if (finished === 0) await pause(config.batch.pollMs, ctx.signal);
      }
      if (ctx.signal.aborted) return await stopped();
      if (budgetHit && unassignedCount(db, run.id) > 0) {
        const after = getRun(db, run.id);
        return finishTaggingRun(db, now, run.id, 'budget_exceeded', `the next batch would take the run past its budget of $${after.budgetUsd} ($${after.costUsd.toFixed(4)} spent); resume with a higher budget`);
      }
      return finishWorkedRun(db, now, run.id);
    } catch (err) {
      // Stopped while a request to the provider was in flight.
      if (ctx.signal.aborted) return await stopped();
      throw err;
    } finally {
      await sink.close();
    }
  },
  onStopped: stoppedRun,
};

/** Asks the provider to stop the run's batches in flight (their answers so far are applied on resume). */
async function cancelAtProvider(work: BatchWork): Promise<void> {
  for (const b of openBatches(work.db, work.run.id)) {
    if (b.status !== 'submitted' || FINISHED_BATCH_STATUSES.has(b.providerStatus ?? '')) continue;
    try {
      const info = await work.api.cancel(b.providerBatchId!);
      updateBatch(work.db, b.id, { providerStatus: info.status });
    } catch {
      // Best effort: the batch stays submitted and is polled again on resume.
    }
  }
}
