import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { DocumentPageSchema, DocumentQuerySchema, DocumentViewSchema, getDocument, listDocuments } from '../ingest/corpus.ts';
import { errorResponses, IdParams, json, newRouter } from './router.ts';

/** `/api/documents`: the corpus, searched and paged, and one document with its passages. */
export function documentsRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Documents, newest first, searched in title/author/text and paged',
        request: { query: DocumentQuerySchema },
        responses: { 200: json(DocumentPageSchema, 'One page of documents'), ...errorResponses },
      }),
      (c) => c.json(listDocuments(db, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: 'A document with its text and passages (exclusion state and item ids)',
        request: { params: IdParams },
        responses: { 200: json(DocumentViewSchema, 'Document'), ...errorResponses },
      }),
      (c) => c.json(getDocument(db, c.req.valid('param').id), 200),
    );
}
