import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { getSource, listSources, SourceListSchema, SourcePatchSchema, SourceSummarySchema, updateSource } from '../ingest/corpus.ts';
import { actorName, conflictResponse, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

/** `/api/sources`: outlets and author channels, with their counts; editable. */
export function sourcesRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/', summary: 'Every source with document and passage counts', responses: { 200: json(SourceListSchema, 'Sources'), ...errorResponses } }),
      (c) => c.json({ sources: listSources(db) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'One source with its counts (its documents: GET /api/documents?sourceId=)',
        request: { params: IdParams },
        responses: { 200: json(SourceSummarySchema, 'Source'), ...errorResponses },
      }),
      (c) => c.json(getSource(db, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        summary: 'Edit a source: name, country, url, notes (null clears)',
        request: { params: IdParams, ...jsonBody(SourcePatchSchema) },
        responses: { 200: json(SourceSummarySchema, 'Updated source'), ...errorResponses, ...conflictResponse('Name taken') },
      }),
      (c) => c.json(updateSource(db, c.req.valid('param').id, c.req.valid('json'), actorName(c, 'local'), deps.now()), 200),
    );
}
