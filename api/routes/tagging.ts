import { createRoute, z } from '@hono/zod-openapi';
import type { TaggingRun } from '../../db/schema/index.ts';
import type { AppDeps } from '../deps.ts';
import { runBatches } from '../tagging/batchStore.ts';
import { cancelRun, createRun, estimateRun, getRun, jobOfRun, listRuns, progressOf, resumeRun, runFailures, RunRequestSchema } from '../tagging/runs.ts';
import { ComparisonRequestSchema, createComparison, listComparisons, type ComparisonWithRuns } from '../tagging/comparisons.ts';
import { ModelComparisonListSchema, ModelComparisonSchema, RunEstimateSchema, RunProgressSchema, runView, TaggingBatchSchema, TaggingRunDetailSchema, TaggingRunListSchema, TaggingRunSchema } from '../tagging/schemas.ts';
import { streamJobEvents } from './jobEvents.ts';
import { modelQuality, ModelQualityListSchema } from '../tagging/quality.ts';
import { actorName, conflictResponse, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

const ResumeSchema = z.object({ budgetUsd: z.number().positive().optional().openapi({ description: 'A new budget cap in USD (a budget-stopped run needs a higher one)' }) });

/** `/api/tagging`: estimates and tagging runs, with live progress. */
export function taggingRoutes(deps: AppDeps) {
  // A run with the job that executes it: `live` while a process works on it.
  const withJob = (run: TaggingRun) => {
    const job = jobOfRun(deps.jobs, run.id);
    return runView(run, job);
  };
  const comparisonView = (c: ComparisonWithRuns) => ModelComparisonSchema.parse({ ...c.comparison, items: c.items, runs: c.runs.map(withJob) });
  const router = newRouter();
  // The event stream's data is not a response body, so name its schema for clients here.
  router.openAPIRegistry.register('TaggingRunProgress', RunProgressSchema);
  return router
    .openapi(
      createRoute({
        method: 'post',
        path: '/estimate',
        summary: 'How many items a run would ask about and what it would cost',
        request: jsonBody(RunRequestSchema),
        responses: { 200: json(RunEstimateSchema, 'Estimate'), ...errorResponses },
      }),
      (c) => c.json(estimateRun(deps, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/runs',
        summary: 'Record a tagging run and queue its job; answers at once (follow it with /runs/{id}/events)',
        request: jsonBody(RunRequestSchema),
        responses: { 201: json(TaggingRunSchema, 'Recorded and queued'), ...errorResponses },
      }),
      (c) => c.json(withJob(createRun(deps, c.req.valid('json'), actorName(c, 'web')).run), 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/comparisons',
        summary: 'Compare two or more models (profiles, models, prompt versions) on one seeded sample: stores the sample and queues one run per arm; answers at once',
        request: jsonBody(ComparisonRequestSchema),
        responses: { 201: json(ModelComparisonSchema, 'Recorded and queued'), ...errorResponses },
      }),
      (c) => c.json(comparisonView(createComparison(deps, c.req.valid('json'), actorName(c, 'web'))), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/comparisons', summary: 'Model comparisons, newest first, with their runs', responses: { 200: json(ModelComparisonListSchema, 'Comparisons'), ...errorResponses } }),
      (c) => c.json({ comparisons: listComparisons(deps.db).map(comparisonView) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/quality',
        summary: "Each model's measured quality here: its suggestions against the independent human decisions made after them (not yet measured below 30)",
        responses: { 200: json(ModelQualityListSchema, 'Measured quality per model family'), ...errorResponses },
      }),
      (c) => c.json(modelQuality(deps.db), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/runs', summary: 'Tagging runs, newest first', responses: { 200: json(TaggingRunListSchema, 'Runs'), ...errorResponses } }),
      (c) => c.json({ runs: listRuns(deps.db).map(withJob) }, 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/runs/{id}', summary: 'One run with its failed items and their reasons', request: { params: IdParams }, responses: { 200: json(TaggingRunDetailSchema, 'Run'), ...errorResponses } }),
      (c) => {
        const { id } = c.req.valid('param');
        return c.json({ run: withJob(getRun(deps.db, id)), failures: runFailures(deps.db, id), batches: runBatches(deps.db, id).map((b) => TaggingBatchSchema.parse(b)) }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/runs/{id}/cancel', summary: 'Cancel a run; items in flight stay pending for a resume', request: { params: IdParams }, responses: { 200: json(TaggingRunSchema, 'Cancelling'), ...errorResponses } }),
      (c) => c.json(withJob(cancelRun(deps, c.req.valid('param').id, actorName(c, 'web'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/runs/{id}/resume',
        summary: 'Resume a cancelled, budget-stopped, failed or interrupted run with its pending items (queues its job again)',
        request: { params: IdParams, body: { required: false, content: { 'application/json': { schema: ResumeSchema } } } },
        responses: { 200: json(TaggingRunSchema, 'Resumed'), ...errorResponses, ...conflictResponse('Already running or completed') },
      }),
      (c) => {
        const { id } = c.req.valid('param');
        return c.json(withJob(resumeRun(deps, id, actorName(c, 'web'), { budgetUsd: c.req.valid('json').budgetUsd }).run), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/runs/{id}/events',
        summary: 'Live progress of a run as server-sent events (`progress` events, then `end`)',
        request: { params: IdParams },
        responses: {
          200: {
            description: 'Server-sent events: `progress` (data: a TaggingRunProgress as JSON) whenever the run moves, then one `end` with the final progress',
            content: { 'text/event-stream': { schema: z.string().openapi({ description: 'An SSE stream; each event\'s data is a TaggingRunProgress' }) } },
          },
          ...errorResponses,
        },
      }),
      (c) => {
        const { id } = c.req.valid('param');
        const job = jobOfRun(deps.jobs, id);
        const run = getRun(deps.db, id);
        // A run recorded before runs were jobs has nothing to follow: its state, then the end.
        if (!job) return c.body(`event: progress\ndata: ${JSON.stringify(progressOf(run))}\n\nevent: end\ndata: ${JSON.stringify(progressOf(run))}\n\n`, 200, { 'content-type': 'text/event-stream' });
        return streamJobEvents(c, deps.jobs, job.id, (j) => progressOf(getRun(deps.db, id), j));
      },
    );
}
