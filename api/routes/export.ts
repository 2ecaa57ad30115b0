import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { ExportQuerySchema } from '../export/request.ts';
import { ExportPreviewSchema, prepareExport, previewExport } from '../export/service.ts';
import { errorResponses, json, newRouter } from './router.ts';

const file = (description: string) => ({ schema: z.string().openapi({ format: 'binary', description }) });

/** `/api/export`: the dataset as a streamed download, and a preview of what it would hold. */
export function exportRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/preview',
        summary: 'How many rows an export with these parameters would hold, and why it would be empty',
        request: { query: ExportQuerySchema },
        responses: { 200: json(ExportPreviewSchema, 'Preview'), ...errorResponses },
      }),
      (c) => c.json(previewExport(deps.db, c.req.valid('query'), deps.now), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Export labelled items with provenance (CSV, JSONL, Parquet, or a zip bundle), streamed',
        description:
          'Headers: `X-Framescope-Export-Rows` (row count), `X-Framescope-Export-Empty` (why the file has no rows, when it has none). ' +
          'CSV text cells a spreadsheet could run (= + - @, also full-width or after whitespace, TAB, CR) are prefixed with a single quote; themes are |-joined. ' +
          'CSV and JSONL end with an end-marker row (framescope_export = end, with the row count): a download without it was cut short.',
        request: { query: ExportQuerySchema },
        responses: {
          200: {
            description: 'The export file (attachment)',
            content: {
              'text/csv': file('CSV, RFC 4180'),
              'application/x-ndjson': file('JSON lines'),
              'application/vnd.apache.parquet': file('Parquet'),
              'application/zip': file('Bundle: data, codebook, dataset card'),
            },
          },
          ...errorResponses,
        },
      }),
      (c) => {
        const job = prepareExport(deps.db, c.req.valid('query'), deps.now);
        const headers: Record<string, string> = {
          'Content-Type': job.contentType,
          'Content-Disposition': `attachment; filename="${job.fileName}"`,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
          'X-Framescope-Export-Rows': String(job.plan.total),
        };
        if (job.plan.emptyReason) headers['X-Framescope-Export-Empty'] = job.plan.emptyReason;
        return c.body(job.stream(), 200, headers);
      },
    );
}
