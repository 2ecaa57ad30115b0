import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { compareRuns, ComparisonReportSchema } from '../evals/comparison.ts';
import { EvalResultSchema } from '../evals/result.ts';
import { EvalJobSchema } from '../evals/job.ts';
import { DEFAULT_RESULTS_DIR, EvalResultListSchema, listResults, readResult } from '../evals/results.ts';
import { JobSchema, jobView } from '../jobs/view.ts';
import { actorName, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

const NameParam = z.object({ name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only').openapi({ param: { name: 'name', in: 'path' }, example: 'local-baseline-shared-corpus-v1' }) });

/** `/api/evals`: the stored eval results, one result in full, and evals run as jobs. */
export function evalsRoutes(deps: AppDeps) {
  const dir = deps.evalResultsDir ?? DEFAULT_RESULTS_DIR;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Stored eval results, newest first',
        responses: { 200: json(EvalResultListSchema, 'Result summaries'), ...errorResponses },
      }),
      (c) => c.json({ results: listResults(dir) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{name}',
        summary: 'One eval result: metrics, confusion matrix, calibration, provenance and per-item answers',
        request: { params: NameParam },
        responses: { 200: json(EvalResultSchema, 'The result'), ...errorResponses },
      }),
      (c) => c.json(readResult(dir, c.req.valid('param').name), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/comparisons/{id}',
        summary: "A model comparison's report: per arm agreement with independent human decisions (95% intervals over documents), pairwise kappa, cost and latency per 1,000 items, and the items where the arms differ",
        request: { params: IdParams },
        responses: { 200: json(ComparisonReportSchema, 'The report'), ...errorResponses },
      }),
      (c) => c.json(compareRuns(deps.db, { comparisonId: c.req.valid('param').id }), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/jobs',
        summary: "Run an eval as a job (the shipped gold set or this database's reviews); its result appears in GET /api/evals when done",
        request: jsonBody(EvalJobSchema),
        responses: { 202: json(JobSchema, 'Eval job queued'), ...errorResponses },
      }),
      (c) => c.json(jobView(deps.jobs.submit({ kind: 'eval', params: { ...c.req.valid('json'), resultsDir: dir }, createdBy: actorName(c, 'web') }), deps.jobs), 202),
    );
}
