import { z } from 'zod';
import { JOB_KINDS, JOB_STATES } from '../../db/schema/index.ts';
import { RollupsJobResultSchema } from '../dashboard/job.ts';
import { EvalJobResultSchema } from '../evals/job.ts';
import { ExportFileSchema } from '../export/job.ts';
import { ImportReportSchema } from '../ingest/report.ts';
import { StoryJobResultSchema } from '../stories/job.ts';
import { TaggingJobResultSchema } from '../tagging/job.ts';
import { RunProgressSchema } from '../tagging/schemas.ts';
import { LocalModelInfoSchema } from '../training/store.ts';
import { jobKind } from './kinds.ts';
import type { JobRunner } from './runner.ts';
import type { Job } from './types.ts';

/** Where a job is (db/schema/jobs.ts JobProgress). */
export const JobProgressSchema = z
  .object({
    phase: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    unit: z.string(),
    ratePerSec: z.number(),
    etaSec: z.number().nullable(),
    failed: z.number(),
    costUsd: z.number().nullable(),
    message: z.string().nullable(),
    rateLimit: RunProgressSchema.shape.rateLimit.optional(),
  })
  .meta({ id: 'JobProgress' });

/** A job as the API and the Jobs view show it (parameters stay on the server: they may name server paths). */
export const JobSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(JOB_KINDS),
    state: z.enum(JOB_STATES),
    /** One line saying what the job does. */
    summary: z.string(),
    progress: JobProgressSchema.nullable(),
    error: z.string().nullable(),
    /** What the job produced so far or in the end, by kind: a run's counts, an import's per-file report, an export's file, an eval's headline, a rebuild's statements, a trained model. */
    result: z.union([TaggingJobResultSchema, ImportReportSchema, ExportFileSchema, EvalJobResultSchema, RollupsJobResultSchema, LocalModelInfoSchema, StoryJobResultSchema]).nullable(),
    taggingRunId: z.number().int().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    heartbeatAt: z.string().nullable(),
    attempts: z.number().int(),
    cancelRequested: z.boolean(),
    /** Running in this server process. */
    live: z.boolean(),
    /** Stopped without finishing and of a kind that picks up where it stopped. */
    resumable: z.boolean(),
  })
  .meta({ id: 'Job' });
export type JobView = z.infer<typeof JobSchema>;

/** Jobs, newest first. */
export const JobListSchema = z.object({ jobs: z.array(JobSchema) }).meta({ id: 'JobList' });

/** A job row as the API shows it, its result read with its kind's own schema. */
export function jobView(job: Job, jobs: JobRunner): JobView {
  const spec = jobKind(job.kind);
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    summary: spec.describe(job.params),
    progress: job.progress,
    error: job.error,
    result: job.result === null ? null : (spec.result.parse(job.result) as JobView['result']),
    taggingRunId: job.taggingRunId,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    heartbeatAt: job.heartbeatAt,
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    live: jobs.isLive(job.id),
    resumable: spec.resumable && (job.state === 'interrupted' || job.state === 'cancelled' || job.state === 'failed'),
  };
}
