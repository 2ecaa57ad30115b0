import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { JobSchema, jobView } from '../jobs/view.ts';
import { StoryGroupingSchema } from '../stories/job.ts';
import { listStories, StoryListSchema } from '../stories/read.ts';
import { startGrouping } from '../stories/service.ts';
import { actorName, errorResponses, json, jsonBody, newRouter } from './router.ts';

const ListQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Words the title contains' }),
  minOutlets: z.coerce.number().int().min(1).optional().openapi({ description: 'Only stories covered by at least this many outlets' }),
  edited: z.enum(['1', '0']).optional().openapi({ description: '1: only stories a person edited; 0: only untouched machine stories' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `/api/stories`: documents of different outlets grouped by the event they report, and people's edits of them. */
export function storiesRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/', summary: 'Stories, newest first (by their first report)', request: { query: ListQuery }, responses: { 200: json(StoryListSchema, 'Stories'), ...errorResponses } }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(listStories(db, { q: q.q, minOutlets: q.minOutlets, edited: q.edited === undefined ? undefined : q.edited === '1', limit: q.limit, offset: q.offset }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/group',
        summary: "Group the corpus's documents into stories as a job (title and lead similarity within a time window; optionally the provider checks borderline pairs). Edited stories are kept",
        request: jsonBody(StoryGroupingSchema),
        responses: { 202: json(JobSchema, 'Queued'), ...errorResponses },
      }),
      (c) => c.json(jobView(startGrouping(deps, c.req.valid('json'), actorName(c, 'web')), deps.jobs), 202),
    );
}
