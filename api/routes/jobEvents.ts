import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { JobRunner } from '../jobs/runner.ts';
import { FINISHED_STATES, type Job, type JobEvent } from '../jobs/types.ts';

/** ms between checks of the job row when no event came (a missed event never leaves a stream open). */
const RECHECK_MS = 2_000;

/**
 * A job's progress as server-sent events: `progress` at once and at every change (at most a
 * few per second), then `end` when the job has finished; `toData` shapes each event's payload.
 * Works the same for jobs running in this process and jobs run by another (read from the database).
 */
export function streamJobEvents<T>(c: Context, jobs: JobRunner, jobId: number, toData: (job: Job) => T) {
  return streamSSE(c, async (stream) => {
    const pending: JobEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = jobs.watch(jobId, (e) => {
      pending.push(e);
      wake?.();
    });
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    const isDone = (job: Job) => FINISHED_STATES.has(job.state) && !jobs.isLive(jobId);
    let job = jobs.queue.get(jobId);
    await stream.writeSSE({ event: 'progress', data: JSON.stringify(toData(job)) });
    let done = isDone(job);
    while (!done && !stream.aborted) {
      if (pending.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, RECHECK_MS);
        });
        wake = null;
        if (pending.length === 0) {
          job = jobs.queue.get(jobId);
          done = isDone(job);
          continue;
        }
      }
      while (pending.length > 0 && !stream.aborted) {
        const e = pending.shift()!;
        if (e.type === 'finished') {
          done = true;
          break;
        }
        await stream.writeSSE({ event: 'progress', data: JSON.stringify(toData(e.job)) });
      }
    }
    unsubscribe();
    if (!stream.aborted) await stream.writeSSE({ event: 'end', data: JSON.stringify(toData(jobs.queue.get(jobId))) });
  });
}
