import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../deps.ts';
import { getSource, listSources, SourceListSchema, SourcePatchSchema, SourceSummarySchema, updateSource } from '../ingest/corpus.ts';
import { decodeText, formatBytes, IngestError } from '../ingest/normalize.ts';
import { badRequest } from '../errors.ts';
import { GroupingListSchema, listGroupings } from '../sources/groups.ts';
import { importSourcesCsv, MAX_SOURCES_CSV_BYTES, SourcesImportReportSchema } from '../sources/importCsv.ts';
import { actorName, conflictResponse, ErrorSchema, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

const SourcesFileSchema = z
  .object({ file: z.instanceof(File).openapi({ type: 'string', format: 'binary', description: 'a CSV: name, url, country, language, notes, and one column per grouping' }) })
  .openapi('SourcesFile');

/** `/api/sources`: outlets and author channels, with their counts and groupings; editable. */
export function sourcesRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/', summary: 'Every source with its groupings and document and passage counts', responses: { 200: json(SourceListSchema, 'Sources'), ...errorResponses } }),
      (c) => c.json({ sources: listSources(db) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/groupings',
        summary: 'Country, language and the named groupings of sources, each value with how many sources hold it',
        responses: { 200: json(GroupingListSchema, 'Groupings'), ...errorResponses },
      }),
      (c) => c.json({ groupings: listGroupings(db) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/import',
        summary: `Create or update sources from a CSV (multipart field "file", at most ${formatBytes(MAX_SOURCES_CSV_BYTES)}): name, url, country, language, notes, and any other column as a named grouping`,
        middleware: [
          bodyLimit({ maxSize: MAX_SOURCES_CSV_BYTES + 64 * 1024, onError: (c) => c.json({ error: { code: 'payload_too_large', message: `a sources file is at most ${formatBytes(MAX_SOURCES_CSV_BYTES)}` } }, 413) }),
        ] as const,
        request: { body: { required: true, content: { 'multipart/form-data': { schema: SourcesFileSchema } } } },
        responses: { 200: json(SourcesImportReportSchema, 'Sources created and updated, rows rejected'), ...errorResponses, 413: json(ErrorSchema, 'File too large') },
      }),
      async (c) => {
        const { file } = c.req.valid('form');
        let text: string;
        try {
          text = decodeText(new Uint8Array(await file.arrayBuffer()));
        } catch (e) {
          throw badRequest(`sources file: ${e instanceof IngestError ? e.message : String(e)}`, 'invalid_input');
        }
        return c.json(importSourcesCsv(db, text, actorName(c, 'local'), deps.now()), 200);
      },
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
        summary: 'Edit a source: name, country, language, url, notes (null clears), and its values in named groupings',
        request: { params: IdParams, ...jsonBody(SourcePatchSchema) },
        responses: { 200: json(SourceSummarySchema, 'Updated source'), ...errorResponses, ...conflictResponse('Name taken') },
      }),
      (c) => c.json(updateSource(db, c.req.valid('param').id, c.req.valid('json'), actorName(c, 'local'), deps.now()), 200),
    );
}
