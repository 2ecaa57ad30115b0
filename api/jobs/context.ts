import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { isBusy, type DbOrTx } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { jobKind } from './kinds.ts';
import type { HeartbeatAnswer, JobQueue } from './queue.ts';
import { initialProgress, type Job, type JobContext, type JobDeps, type JobEvent, type JobOutcome, type JobProgress } from './types.ts';

/** ms between heartbeats; a job whose heartbeat is older than HEARTBEAT_STALE_MS has lost its owner. */
export const HEARTBEAT_EVERY_MS = 1_000;
export const HEARTBEAT_STALE_MS = 15_000;
/** ms between progress pushes to watchers (the job row is written at every heartbeat). */
const EMIT_EVERY_MS = 200;

/** How a running job talks to whoever started it: events out, cancel and shutdown in. */
export interface JobChannel {
  emit(event: JobEvent): void;
  /** Registers what to do when this process asks the job to stop (`cancel`, or `shutdown` of the process). */
  onStop(listener: (reason: 'cancel' | 'shutdown') => void): void;
}

/**
 * One heartbeat of a running job. Another connection may hold the write lock past the busy
 * timeout (a large write on a loaded machine): the beat is then skipped ('busy') rather than
 * thrown out of the timer, which would take the job's thread down; the next beat, a second
 * later, carries the progress, and a job is only taken for dead after HEARTBEAT_STALE_MS
 * without one.
 */
export function heartbeat(queue: JobQueue, jobId: number, owner: string, now: Date, progress: JobProgress): HeartbeatAnswer | 'busy' {
  try {
    return queue.heartbeat(jobId, owner, now, progress);
  } catch (err) {
    if (isBusy(err)) return 'busy';
    throw err;
  }
}

/** The reason recorded when a process shuts down under a job that cannot resume. */
const SHUTDOWN_REASON = 'the server stopped while this job was running; start it again';

/**
 * Runs a claimed job's code in this thread: heartbeat and cancel polling, progress with rate
 * and ETA, and the final state. Resolves with the job's final row (or its current row when
 * another process took it over after a stale heartbeat).
 */
export async function executeJob(deps: JobDeps, queue: JobQueue, job: Job, owner: string, channel: JobChannel): Promise<Job> {
  const spec = jobKind(job.kind);
  const controller = new AbortController();
  // Every request a job has in flight listens on its signal.
  setMaxListeners(0, controller.signal);
  let lost = false;
  channel.onStop((reason) => controller.abort(reason));

  let progress: JobProgress = { ...initialProgress(), ...(job.progress ?? {}) };
  const started = performance.now();
  const doneAtStart = progress.done;
  let lastBeat = performance.now();
  let lastEmit = 0;
  const snapshot = (): Job => ({ ...job, state: 'running', progress });
  const beat = () => {
    lastBeat = performance.now();
    const answer = heartbeat(queue, job.id, owner, deps.now(), progress);
    if (answer === 'busy') return;
    if (answer === 'lost') lost = true;
    if (answer !== 'ok' && !controller.signal.aborted) controller.abort('cancel');
  };
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  timer.unref();

  const ctx: JobContext = {
    job,
    params: job.params,
    deps,
    signal: controller.signal,
    progress(update) {
      const phaseChanged = update.phase !== undefined && update.phase !== progress.phase;
      progress = { ...progress, ...update };
      if (update.ratePerSec === undefined) {
        const seconds = (performance.now() - started) / 1000;
        progress.ratePerSec = seconds > 0.5 ? Math.max(0, progress.done - doneAtStart) / seconds : 0;
      }
      if (update.etaSec === undefined) {
        progress.etaSec = progress.total !== null && progress.ratePerSec > 0 ? Math.max(0, progress.total - progress.done) / progress.ratePerSec : null;
      }
      const now = performance.now();
      // Synchronous work (training) never lets the timer run: beat from here when one is due.
      if (now - lastBeat >= HEARTBEAT_EVERY_MS) beat();
      if (phaseChanged || now - lastEmit >= EMIT_EVERY_MS) {
        lastEmit = now;
        channel.emit({ type: 'progress', job: snapshot() });
      }
    },
    saveResult(result: unknown, tx?: DbOrTx) {
      queue.saveResult(job.id, owner, result, tx);
    },
    yield: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };

  let outcome: JobOutcome;
  try {
    channel.emit({ type: 'progress', job: snapshot() });
    outcome = await spec.run(ctx);
  } catch (err) {
    if (!(err instanceof AppError)) console.error(`job ${job.id} (${job.kind}) failed:`, err);
    outcome = { state: 'failed', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearInterval(timer);
  }
  if (controller.signal.reason === 'shutdown' && outcome.state === 'cancelled') {
    outcome = spec.resumable ? { ...outcome, state: 'interrupted', error: 'the server stopped while this job was running; resume it to continue' } : { ...outcome, state: 'failed', error: SHUTDOWN_REASON };
  }
  const final = lost ? null : queue.finish(job.id, owner, deps.now(), { state: outcome.state, error: outcome.error ?? null, result: outcome.result, progress });
  const row = final ?? queue.get(job.id);
  channel.emit({ type: 'finished', job: row });
  return row;
}
