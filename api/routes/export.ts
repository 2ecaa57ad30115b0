import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { conflict, notFound } from '../errors.ts';
import { ExportFileSchema, exportJobDir } from '../export/job.ts';
import { ExportQuerySchema } from '../export/request.ts';
import { ExportPreviewSchema, prepareExport, previewExport } from '../export/service.ts';
import { JobSchema, jobView } from '../jobs/view.ts';
import { actorName, conflictResponse, errorResponses, IdParams, json, newRouter } from './router.ts';

const file = (description: string) => ({ schema: z.string().openapi({ format: 'binary', description }) });

/** `/api/export`: the dataset as a streamed download, a preview of what it would hold, and exports written by jobs. */
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
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/jobs',
        summary: 'Write an export (same parameters as GET /api/export) to a file on the server as a job, with progress; download it when done',
        request: { query: ExportQuerySchema },
        responses: { 202: json(JobSchema, 'Export job queued'), ...errorResponses },
      }),
      (c) => {
        const request = c.req.valid('query');
        // Bad filters are refused now, before anything is queued.
        prepareExport(deps.db, request, deps.now).close();
        return c.json(jobView(deps.jobs.submit({ kind: 'export', params: request, createdBy: actorName(c, 'web') }), deps.jobs), 202);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/jobs/{id}/file',
        summary: 'The file a completed export job wrote (attachment)',
        request: { params: IdParams },
        responses: {
          200: { description: 'The export file', content: { 'application/octet-stream': file('CSV, JSON lines, Parquet or a zip bundle') } },
          ...errorResponses,
          ...conflictResponse('The job has not completed'),
        },
      }),
      (c) => {
        const { id } = c.req.valid('param');
        const job = deps.jobs.queue.get(id);
        if (job.kind !== 'export') throw notFound(`job ${id} is not an export`);
        if (job.state !== 'completed') throw conflict(`export job ${id} is ${job.state}; its file is ready once it has completed`, 'export_not_ready');
        const result = ExportFileSchema.parse(job.result);
        const path = join(exportJobDir(deps.jobs.filesDir, id), result.fileName);
        if (!existsSync(path)) throw notFound(`the file of export job ${id} is no longer on the server; export again`);
        const headers: Record<string, string> = {
          'Content-Type': result.contentType,
          'Content-Disposition': `attachment; filename="${result.fileName}"`,
          'Content-Length': String(result.bytes),
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
          'X-Framescope-Export-Rows': String(result.rows),
        };
        if (result.emptyReason) headers['X-Framescope-Export-Empty'] = result.emptyReason;
        return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, 200, headers);
      },
    );
}
