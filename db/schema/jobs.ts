import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { taggingRuns } from './taggingRuns.ts';

/** Every kind of long work the app runs off the request path. */
export const JOB_KINDS = ['tagging', 'tagging_batch', 'import', 'export', 'eval', 'rollups', 'training', 'stories'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * queued: waiting for a runner; running: a process is working on it (its heartbeat says it is
 * alive); interrupted: the process working on it died, it can be resumed; completed, failed,
 * cancelled: finished.
 */
export const JOB_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The rate limit a tagging run works against, as its admission control sees it (api/tagging/gate.ts). */
export interface RateLimitProgress {
  /** Requests let run at once now, and the run's (or profile's) maximum. */
  concurrency: number;
  maxConcurrency: number;
  /** As the server last stated them in x-ratelimit-* headers; null when it states none. */
  limitRequests: number | null;
  limitTokens: number | null;
  remainingRequests: number | null;
  remainingTokens: number | null;
  /** ms until the binding window resets, or null */
  resetInMs: number | null;
  /** 429 answers so far in this process's work on the run. */
  rateLimited: number;
}

/** Where a job is, as the Jobs view and the progress bars show it. */
export interface JobProgress {
  /** What the job is doing now, e.g. `selecting`, `tagging`, `training`, `importing`, `writing`. */
  phase: string;
  done: number;
  /** null while the total is not known yet */
  total: number | null;
  /** What `done` counts: items, files, rows, iterations ... */
  unit: string;
  /** `unit`s per second since this process started on the job */
  ratePerSec: number;
  /** s; null until a rate is known */
  etaSec: number | null;
  /** Units that failed (tagging items, import files ...). */
  failed: number;
  /** USD spent so far, for jobs that cost money. */
  costUsd: number | null;
  /** One line for people, e.g. the file being imported. */
  message: string | null;
  /** Tagging: the rate limit the run works against. */
  rateLimit?: RateLimitProgress | null;
}

/**
 * One job: its parameters, state and progress, persisted so that any process can list, watch,
 * cancel and resume it, and so that a job killed with its process is found on the next start.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: JOB_KINDS }).notNull(),
    state: text('state', { enum: JOB_STATES }).notNull().default('queued'),
    /** What the job was asked to do (the kind's own parameter shape). */
    params: text('params', { mode: 'json' }).notNull(),
    progress: text('progress', { mode: 'json' }).$type<JobProgress>(),
    /** What the job produced so far or in the end (e.g. an import's per-file report, an export's file). */
    result: text('result', { mode: 'json' }),
    error: text('error'),
    /** The domain record of a tagging job: the run's provenance lives there. */
    taggingRunId: integer('tagging_run_id').references(() => taggingRuns.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').notNull(),
    /** The process working on it (`host:pid:nonce`), while running. */
    owner: text('owner'),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    /** How many times a process has started on it (1 + resumes). */
    attempts: integer('attempts').notNull().default(0),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    /** Last sign of life of the owner; a stale one means the owner died. */
    heartbeatAt: text('heartbeat_at'),
  },
  (t) => [index('jobs_state_idx').on(t.state, t.id), index('jobs_kind_idx').on(t.kind, t.id), index('jobs_tagging_run_idx').on(t.taggingRunId)],
);

export type Job = typeof jobs.$inferSelect;
