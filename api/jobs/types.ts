import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Job, JobKind, JobProgress, JobState } from '../../db/schema/index.ts';
import type { WriteGate } from '../../db/writeGate.ts';
import type { Config } from '../config.ts';
import type { ProviderFactory } from '../providers/factory.ts';

export type { Job, JobKind, JobProgress, JobState };

/** What a job's code is built from; a worker thread builds its own from the server's config. */
export interface JobDeps {
  db: Db;
  config: Config;
  now: () => Date;
  providers: ProviderFactory;
  /** Folder for jobs' files: uploads waiting to be imported, finished exports. */
  filesDir: string;
  /** The server's write gate, shared with the threads that write in bulk (db/writeGate.ts). */
  writeGate?: WriteGate;
}

/** How a job's code ended. A thrown error ends it `failed` with the error's message. */
export interface JobOutcome {
  state: 'completed' | 'failed' | 'cancelled' | 'interrupted';
  error?: string | null;
  result?: unknown;
}

/** What a job's code gets from the runner while it works. */
export interface JobContext<P = unknown> {
  readonly job: Job;
  readonly params: P;
  readonly deps: JobDeps;
  /**
   * Aborted when someone asks to cancel (from any process) or the process shuts down
   * (`signal.reason` is `shutdown` then). The code stops at the next clean point.
   */
  readonly signal: AbortSignal;
  /** Reports progress: pushed to watchers at once, written to the job row at least every second. */
  progress(update: Partial<JobProgress>): void;
  /** Stores the job's result so far; with `tx`, in the same transaction as the work it describes. */
  saveResult(result: unknown, tx?: DbOrTx): void;
  /** Lets timers and messages run (heartbeat, cancel); CPU-bound code awaits it between batches. */
  yield(): Promise<void>;
}

/** One kind of job: its code and what happens when it stops without finishing. */
export interface JobKindSpec<P = unknown> {
  kind: JobKind;
  /**
   * A job of this kind killed with its process is offered for resume (its work is checkpointed
   * or idempotent); one that is not is marked failed with the reason.
   */
  resumable: boolean;
  /**
   * A server resumes a job of this kind by itself once its process is gone (interrupted by a
   * kill or a shutdown): its work is waiting on someone else (a provider's batch), not on a person.
   */
  autoResume?: boolean;
  /** One line for the Jobs view, e.g. `tagging run 3` or `import of 2 files (a.csv, b.csv)`. */
  describe(params: P): string;
  /** What the job's result holds (saved as it goes or at the end). */
  result: z.ZodType;
  run(ctx: JobContext<P>): Promise<JobOutcome>;
  /**
   * Brings the kind's own records in line when the job ended without its code finishing:
   * cancelled while queued, found dead, its worker crashed. Runs on the caller's thread: cheap.
   */
  onStopped?(deps: Pick<JobDeps, 'db' | 'now' | 'filesDir'>, job: Job): void;
}

/** What watchers of a job hear. */
export type JobEvent = { type: 'progress'; job: Job } | { type: 'finished'; job: Job };

/** A progress record with nothing done yet. */
export function initialProgress(phase = 'queued', unit = 'items', total: number | null = null): JobProgress {
  return { phase, done: 0, total, unit, ratePerSec: 0, etaSec: null, failed: 0, costUsd: null, message: null };
}

/** Finished states: the job's code will not run again unless resumed. */
export const FINISHED_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
