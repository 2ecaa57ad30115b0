import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { TaggingRun } from '../../db/schema/index.ts';
import type { AppDeps } from '../deps.ts';
import {
  cancelRun,
  createRun,
  estimateRun,
  getRun,
  isRunActive,
  listRuns,
  onRunProgress,
  progressOf,
  resumeRunInBackground,
  runFailures,
  RunRequestSchema,
  startRunInBackground,
} from '../tagging/runs.ts';
import { RunEstimateSchema, RunProgressSchema, runView, TaggingRunDetailSchema, TaggingRunListSchema, TaggingRunSchema, type RunProgress } from '../tagging/schemas.ts';
import { actorName, conflictResponse, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

const ResumeSchema = z.object({ budgetUsd: z.number().positive().optional().openapi({ description: 'A new budget cap in USD (a budget-stopped run needs a higher one)' }) });

const withLive = (run: TaggingRun) => runView(run, isRunActive(run.id));

/** `/api/tagging`: estimates and tagging runs, with live progress. */
export function taggingRoutes(deps: AppDeps) {
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
        summary: 'Create a tagging run and start it in the server',
        request: jsonBody(RunRequestSchema),
        responses: { 201: json(TaggingRunSchema, 'Started'), ...errorResponses },
      }),
      (c) => {
        const run = createRun(deps, c.req.valid('json'), actorName(c, 'web'));
        return c.json(runView(startRunInBackground(deps, run.id), true), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/runs', summary: 'Tagging runs, newest first', responses: { 200: json(TaggingRunListSchema, 'Runs'), ...errorResponses } }),
      (c) => c.json({ runs: listRuns(deps.db).map(withLive) }, 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/runs/{id}', summary: 'One run with its failed items and their reasons', request: { params: IdParams }, responses: { 200: json(TaggingRunDetailSchema, 'Run'), ...errorResponses } }),
      (c) => {
        const { id } = c.req.valid('param');
        return c.json({ run: withLive(getRun(deps.db, id)), failures: runFailures(deps.db, id) }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/runs/{id}/cancel', summary: 'Cancel a run; items in flight stay pending for a resume', request: { params: IdParams }, responses: { 200: json(TaggingRunSchema, 'Cancelling'), ...errorResponses } }),
      (c) => c.json(withLive(cancelRun(deps, c.req.valid('param').id, actorName(c, 'web'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/runs/{id}/resume',
        summary: 'Resume a cancelled, budget-stopped or killed run with its pending items',
        request: { params: IdParams, body: { required: false, content: { 'application/json': { schema: ResumeSchema } } } },
        responses: { 200: json(TaggingRunSchema, 'Resumed'), ...errorResponses, ...conflictResponse('Already running or completed') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        return c.json(runView(await resumeRunInBackground(deps, id, c.req.valid('json').budgetUsd), true), 200);
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
        const initial = progressOf(getRun(deps.db, id));
        return streamSSE(c, async (stream) => {
          await stream.writeSSE({ event: 'progress', data: JSON.stringify(initial) });
          if (!isRunActive(id)) {
            await stream.writeSSE({ event: 'end', data: JSON.stringify(initial) });
            return;
          }
          const queue: RunProgress[] = [];
          let wake: (() => void) | null = null;
          const unsubscribe = onRunProgress(id, (p) => {
            queue.push(p);
            wake?.();
          });
          stream.onAbort(() => {
            unsubscribe();
            wake?.();
          });
          while (!stream.aborted && isRunActive(id)) {
            if (queue.length === 0) await new Promise<void>((r) => ((wake = r), setTimeout(r, 1_000)));
            wake = null;
            while (queue.length > 0) await stream.writeSSE({ event: 'progress', data: JSON.stringify(queue.shift()) });
          }
          unsubscribe();
          if (!stream.aborted) await stream.writeSSE({ event: 'end', data: JSON.stringify(progressOf(getRun(deps.db, id))) });
        });
      },
    );
}
