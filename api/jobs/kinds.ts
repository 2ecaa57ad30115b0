import { rollupsJob } from '../dashboard/job.ts';
import { evalJob } from '../evals/job.ts';
import { exportJob } from '../export/job.ts';
import { importJob } from '../ingest/job.ts';
import { batchTaggingJob } from '../tagging/batchJob.ts';
import { taggingJob } from '../tagging/job.ts';
import { storiesJob } from '../stories/job.ts';
import { trainingJob } from '../training/job.ts';
import type { JobKind, JobKindSpec } from './types.ts';

const KINDS: Record<JobKind, JobKindSpec<unknown>> = {
  tagging: taggingJob,
  tagging_batch: batchTaggingJob,
  import: importJob,
  export: exportJob,
  eval: evalJob,
  rollups: rollupsJob,
  training: trainingJob,
  stories: storiesJob,
};

/** The code of a job kind. */
export function jobKind(kind: JobKind): JobKindSpec<unknown> {
  return KINDS[kind];
}
