import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { JOB_KINDS, JOB_STATES, type JobProgress } from '../../schema/jobs.ts';
import { taggingRuns } from './taggingRuns.ts';

/**
 * One job: its parameters, state and progress, persisted so that any process can list, watch,
 * cancel and resume it, and so that a job killed with its process is found on the next start.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: text('kind', { enum: JOB_KINDS }).notNull(),
    state: text('state', { enum: JOB_STATES }).notNull().default('queued'),
    /** What the job was asked to do (the kind's own parameter shape). */
    params: jsonb('params').notNull(),
    progress: jsonb('progress').$type<JobProgress>(),
    /** What the job produced so far or in the end (e.g. an import's per-file report, an export's file). */
    result: jsonb('result'),
    error: text('error'),
    /** The domain record of a tagging job: the run's provenance lives there. */
    taggingRunId: integer('tagging_run_id').references(() => taggingRuns.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').notNull(),
    /** The process working on it (`host:pid:nonce`), while running. */
    owner: text('owner'),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    /** How many times a process has started on it (1 + resumes). */
    attempts: integer('attempts').notNull().default(0),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
    startedAt: isoTimestamp('started_at'),
    finishedAt: isoTimestamp('finished_at'),
    /** Last sign of life of the owner; a stale one means the owner died. */
    heartbeatAt: isoTimestamp('heartbeat_at'),
  },
  (t) => [index('jobs_state_idx').on(t.state, t.id), index('jobs_kind_idx').on(t.kind, t.id), index('jobs_tagging_run_idx').on(t.taggingRunId), ...enumChecks('jobs', t)]
);

export type Job = typeof jobs.$inferSelect;
