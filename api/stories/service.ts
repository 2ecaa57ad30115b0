import type { JobRunner } from '../jobs/runner.ts';
import type { Job } from '../jobs/types.ts';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { storyChecker } from './check.ts';
import { StoryGroupingSchema, type StoryGroupingParams } from './job.ts';

/**
 * A grouping's parameters with their defaults. One that asks the provider is refused here,
 * before any job is recorded, when no provider is configured.
 */
export function groupingParams(deps: { db: Db; config: Config }, input: Partial<StoryGroupingParams>): StoryGroupingParams {
  const params = StoryGroupingSchema.parse(input);
  if (params.llmCheck) storyChecker(deps.db, deps.config, { profileId: params.profileId, model: params.model });
  return params;
}

/** Starts a story grouping as a job (the server's runner picks it up). */
export function startGrouping(deps: { db: Db; config: Config; jobs: JobRunner }, input: Partial<StoryGroupingParams>, actor: string): Job {
  return deps.jobs.submit({ kind: 'stories', params: groupingParams(deps, input), createdBy: actor });
}
