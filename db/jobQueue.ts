import type { DbOrTx } from './client.ts';
import type { Job, JobKind, JobProgress, JobState } from './schema/jobs.ts';

/** A job to record. */
export interface EnqueueSpec {
  kind: JobKind;
  params: unknown;
  createdBy: string;
  taggingRunId?: number | null;
  /** What the Jobs view shows before the job starts (its total, if known). */
  progress?: JobProgress;
  /** Record it already claimed by this owner: a CLI process runs its own job at once. */
  claimBy?: string;
}

export interface JobFilter {
  states?: JobState[];
  kinds?: JobKind[];
  taggingRunId?: number;
  /** Keyset paging: jobs with a smaller id. */
  beforeId?: number;
  limit?: number;
}

/** What the heartbeat learned: carry on, stop because someone asked, or stop because another process owns the job now. */
export type HeartbeatAnswer = 'ok' | 'cancel' | 'lost';

/** How a job ends when its owner finishes it. */
export interface JobEnd {
  state: JobState;
  error?: string | null;
  result?: unknown;
  progress?: JobProgress;
}

/**
 * The job queue, as callers see it, on SQLite: synchronous, like every better-sqlite3 call
 * (api/jobs/queue.ts implements it). Every state change is conditional on the owner, so two
 * processes can never both run one job.
 */
export interface JobQueue {
  /** Records a job (in `tx` when given, so the job and the domain record it refers to commit together). */
  enqueue(spec: EnqueueSpec, now: Date, tx?: DbOrTx): Job;
  /** Takes the oldest queued job (or the given one) for `owner`; null when there is none. */
  claim(owner: string, now: Date, jobId?: number): Job | null;
  /** Proof of life with the latest progress. */
  heartbeat(jobId: number, owner: string, now: Date, progress: JobProgress): HeartbeatAnswer;
  saveResult(jobId: number, owner: string, result: unknown, tx?: DbOrTx): void;
  /** Ends a job its owner ran; null when the owner had lost it. */
  finish(jobId: number, owner: string, now: Date, end: JobEnd): Job | null;
  /** Ends a running job whose owner died (or whose worker crashed): `interrupted` or `failed`, with the reason. */
  interrupt(jobId: number, owner: string, now: Date, state: 'interrupted' | 'failed', reason: string): Job | null;
  /** Asks a job to stop: a queued (or interrupted) one is cancelled at once, a running one when its owner next looks. */
  requestCancel(jobId: number, actor: string, now: Date): Job;
  /** Puts a stopped job back in the queue, or straight into `claimBy`'s hands. */
  resume(jobId: number, actor: string, now: Date, claimBy?: string): Job;
  get(jobId: number): Job;
  list(filter?: JobFilter): Job[];
}


/** The jobs a queue refuses to touch, with the code the API answers (404 not_found, 409 job_active / job_completed). */
export class JobQueueError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'job_active' | 'job_completed',
  ) {
    super(message);
    this.name = 'JobQueueError';
  }
}

/** Job states a stopped job can be resumed from. */
export const RESUMABLE_FROM: ReadonlySet<JobState> = new Set(['cancelled', 'interrupted', 'failed']);
