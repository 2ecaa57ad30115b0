import { setTimeout as sleep } from 'node:timers/promises';
import { isBusy } from '../../db/client.ts';
import type { JobQueue } from './queue.ts';
import type { Job } from './types.ts';

/** How long, in ms, recording a dead worker's job keeps trying while the database is locked, and the wait between tries. */
export interface WorkerDeathRetry {
  giveUpAfterMs: number;
  waitMs: number;
}

const DEFAULT_RETRY: WorkerDeathRetry = { giveUpAfterMs: 120_000, waitMs: 250 };

/**
 * Records that the worker thread running `job` died: the job ends `failed` with `reason`. The
 * worker may have died holding the write lock, or another thread may be holding it for a long
 * migration or import, so a locked database is waited out (in `retry.waitMs` steps, off the
 * event loop) rather than thrown out of the runner's promise chain, where it would take the
 * whole server down. Returns the job as stored, or null when the lock never came free within
 * `retry.giveUpAfterMs` (the job then stays `running` under this process, which says so on
 * stderr); any other error is thrown.
 */
export async function recordWorkerDeath(
  queue: JobQueue,
  job: Job,
  owner: string,
  now: () => Date,
  reason: string,
  retry: WorkerDeathRetry = DEFAULT_RETRY,
): Promise<Job | null> {
  const deadline = Date.now() + retry.giveUpAfterMs;
  for (;;) {
    try {
      return queue.interrupt(job.id, owner, now(), 'failed', reason) ?? queue.get(job.id);
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() >= deadline) {
        console.error(`job ${job.id} (${job.kind}): its worker died and the database stayed locked for ${retry.giveUpAfterMs} ms; the job is still marked running (${reason})`);
        return null;
      }
      await sleep(retry.waitMs);
    }
  }
}
