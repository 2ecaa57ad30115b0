import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { JobSchema, jobView } from '../jobs/view.ts';
import { StoryDetailSchema, storyDetail } from '../stories/detail.ts';
import { mergeStories, removeStoryDocument, renameStory, splitStory, StoryMergeSchema, StoryRenameSchema, StorySplitSchema } from '../stories/edit.ts';
import { StoryGroupingSchema } from '../stories/job.ts';
import { listStories, StoryListSchema, StorySummarySchema } from '../stories/read.ts';
import { startGrouping } from '../stories/service.ts';
import { actorName, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

const ListQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Words the title contains' }),
  minOutlets: z.coerce.number().int().min(1).optional().openapi({ description: 'Only stories covered by at least this many outlets' }),
  edited: z.enum(['1', '0']).optional().openapi({ description: '1: only stories a person edited; 0: only untouched machine stories' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const DetailQuery = z.object({
  includeBulk: z.enum(['1', '0']).optional().openapi({ description: '1: the people column counts bulk accepts and imported labels (people incl. bulk)' }),
  syndicated: z.enum(['include', 'exclude']).default('exclude').openapi({ description: 'include: count syndicated copies as articles of their own (by default the original stands for its copies)' }),
});
const DocumentParams = IdParams.extend({ documentId: z.coerce.number().int().positive().openapi({ param: { name: 'documentId', in: 'path' } }) });
const SplitResultSchema = z.object({ story: StorySummarySchema, created: StorySummarySchema }).openapi('StorySplitResult');
const RemovedSchema = z.object({ story: StorySummarySchema.nullable() }).openapi('StoryDocumentRemoved');

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
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: "One story: its documents with each outlet's framing on the model, people and final bases side by side, the evidence quotes, and which groups covered it",
        request: { params: IdParams, query: DetailQuery },
        responses: { 200: json(StoryDetailSchema, 'The story'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(storyDetail(db, c.req.valid('param').id, { includeBulk: q.includeBulk === '1', syndicated: q.syndicated }), 200);
      },
    )
    .openapi(
      createRoute({ method: 'patch', path: '/{id}', summary: 'Rename a story (re-grouping keeps the title)', request: { params: IdParams, ...jsonBody(StoryRenameSchema) }, responses: { 200: json(StorySummarySchema, 'Renamed'), ...errorResponses } }),
      (c) => c.json(renameStory(db, actorName(c, 'web'), c.req.valid('param').id, c.req.valid('json'), deps.now()), 200),
    )
    .openapi(
      createRoute({ method: 'post', path: '/{id}/merge', summary: "Merge other stories into this one (their documents move here, they are deleted)", request: { params: IdParams, ...jsonBody(StoryMergeSchema) }, responses: { 200: json(StorySummarySchema, 'Merged'), ...errorResponses } }),
      (c) => c.json(mergeStories(db, actorName(c, 'web'), c.req.valid('param').id, c.req.valid('json'), deps.now()), 200),
    )
    .openapi(
      createRoute({ method: 'post', path: '/{id}/split', summary: 'Move the chosen documents of a story to a new story', request: { params: IdParams, ...jsonBody(StorySplitSchema) }, responses: { 200: json(SplitResultSchema, 'The story and the new one'), ...errorResponses } }),
      (c) => c.json(splitStory(db, actorName(c, 'web'), c.req.valid('param').id, c.req.valid('json'), deps.now()), 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}/documents/{documentId}',
        summary: 'Take a document out of a story (re-grouping never puts it back there); a story left empty is deleted (story: null)',
        request: { params: DocumentParams },
        responses: { 200: json(RemovedSchema, 'Removed'), ...errorResponses },
      }),
      (c) => {
        const { id, documentId } = c.req.valid('param');
        return c.json({ story: removeStoryDocument(db, actorName(c, 'web'), id, documentId, deps.now()) }, 200);
      },
    );
}
