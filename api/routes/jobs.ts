import { createRoute, z } from '@hono/zod-openapi';
import { JOB_KINDS, JOB_STATES } from '../../db/schema/index.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import type { AppDeps } from '../deps.ts';
import { JobListSchema, JobSchema, jobView } from '../jobs/view.ts';
import { streamJobEvents } from './jobEvents.ts';
import { actorName, conflictResponse, errorResponses, IdParams, json, newRouter } from './router.ts';

/** `/api/jobs`: every kind of long work, listed, watched, cancelled and resumed the same way. */
export function jobsRoutes(deps: AppDeps) {
  const view = (job: Parameters<typeof jobView>[0]) => jobView(job, deps.jobs);
  const router = newRouter();
  return router
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Jobs, newest first: running and recent ones of every kind, with progress and errors',
        request: {
          query: z.object({
            state: z.enum(JOB_STATES).optional(),
            kind: z.enum(JOB_KINDS).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            beforeId: z.coerce.number().int().positive().optional(),
          }),
        },
        responses: { 200: json(JobListSchema, 'Jobs'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        const rows = deps.jobs.queue.list({ states: q.state ? [q.state] : undefined, kinds: q.kind ? [q.kind] : undefined, limit: q.limit, beforeId: q.beforeId });
        return c.json({ jobs: rows.map(view) }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/{id}', summary: 'One job', request: { params: IdParams }, responses: { 200: json(JobSchema, 'Job'), ...errorResponses } }),
      (c) => c.json(view(deps.jobs.queue.get(c.req.valid('param').id)), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/cancel',
        summary: 'Cancel a job: a queued one at once, a running one at its next clean point (resumable kinds keep their progress)',
        request: { params: IdParams },
        responses: { 200: json(JobSchema, 'Cancelling'), ...errorResponses },
      }),
      (c) => c.json(view(deps.jobs.cancel(c.req.valid('param').id, actorName(c, 'web'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/resume',
        summary: 'Put a cancelled, failed or interrupted job back in the queue; it picks up where it stopped',
        request: { params: IdParams },
        responses: { 200: json(JobSchema, 'Queued'), ...errorResponses, ...conflictResponse('Running, queued or completed') },
      }),
      (c) => c.json(view(deps.jobs.resume(c.req.valid('param').id, actorName(c, 'web'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/events',
        summary: 'Live progress of a job as server-sent events (`progress` events, then `end`), each carrying the job',
        request: { params: IdParams },
        responses: {
          200: { description: "Server-sent events: `progress` (data: a Job as JSON) whenever the job moves, then one `end` with the job as it ended", content: { 'text/event-stream': { schema: z.string().openapi({ description: "An SSE stream; each event's data is a Job" }) } } },
          ...errorResponses,
        },
      }),
      (c) => {
        const { id } = c.req.valid('param');
        deps.jobs.queue.get(id);
        return streamJobEvents(c, deps.jobs, id, view);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rollups',
        summary: 'Rebuild every dashboard rollup from the items, as a job',
        responses: { 202: json(JobSchema, 'Queued'), ...errorResponses },
      }),
      (c) => c.json(view(deps.jobs.submit({ kind: 'rollups', params: {}, createdBy: actorName(c, 'web') })), 202),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/training',
        summary: "Train the active codebook's local baseline on every reviewed item, as a job (stored as a new model version)",
        responses: { 202: json(JobSchema, 'Queued'), ...errorResponses },
      }),
      (c) => c.json(view(deps.jobs.submit({ kind: 'training', params: { codebookId: getActiveCodebook(deps.db).id }, createdBy: actorName(c, 'web') })), 202),
    );
}
