import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { importDemoCorpus } from '../ingest/demo.ts';
import { parseColumnMap } from '../ingest/columns.ts';
import { DATE_ORDERS } from '../ingest/dates.ts';
import { ImportReportSchema } from '../ingest/import.ts';
import { uploadDir, type ImportJobFile, type ImportJobParams } from '../ingest/job.ts';
import { MANIFEST_FILE, manifestMeta, parseManifest, type ManifestEntry } from '../ingest/manifest.ts';
import { decodeText, formatBytes, IngestError, MAX_FILE_BYTES, stripNul } from '../ingest/normalize.ts';
import type { DocumentMeta } from '../ingest/readers.ts';
import { ColumnPreviewSchema, previewRowFile } from '../ingest/preview.ts';
import { bytesSource } from '../ingest/sources.ts';
import { JobSchema, jobView } from '../jobs/view.ts';
import { actorName, ErrorSchema, errorResponses, json, newRouter } from './router.ts';

/** Largest upload request: 64 MiB in all (a single-document file also stays under the 32 MiB per-file limit; larger row files import from the CLI). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** A form field sent once (the first value counts if repeated), trimmed; blank is absent. */
const field = (description?: string) =>
  z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional())
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()))
    .openapi(description ? { type: 'string', description } : { type: 'string' });

const UploadSchema = z
  .object({
    files: z
      .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.union([z.instanceof(File), z.string()])))
      .transform((values) => values.filter((v): v is File => v instanceof File))
      .openapi({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'one or more files (.txt .md .html, row files .csv .tsv .jsonl .json .xlsx and their .gz, and optionally a manifest.json for them)' }),
    source: field(),
    title: field(),
    author: field(),
    published: field('YYYY, YYYY-MM or YYYY-MM-DD'),
    url: field(),
    language: field(),
    country: field(),
    map: field('row-file column map, e.g. text=content,title=headline,id=article_id'),
    importName: field(),
    strict: field('"true": all or nothing per row file (one rejected row and none of the file is stored)'),
    gold: field('"true": the files\' labels are a gold standard coded by people (counted as independent human decisions)'),
    evaluationOnly: field('"true": the files\' labels are a held-out evaluation set: gold for evals, never trained on'),
    dateOrder: z
      .preprocess((v) => (Array.isArray(v) ? v[0] : v === '' ? undefined : v), z.enum(DATE_ORDERS as ['mdy', 'dmy', 'ymd']).optional())
      .openapi({ type: 'string', enum: [...DATE_ORDERS], description: 'how numeric dates that read both ways are read (default: decided by the file)' }),
  })
  .openapi('Upload');

const PreviewSchema = z
  .object({
    file: z.instanceof(File).openapi({ type: 'string', format: 'binary', description: 'one row file (.csv .tsv .jsonl .json .xlsx or their .gz)' }),
    map: field('the mapping to preview, e.g. text=content,title=headline (default: the columns recognised by name)'),
  })
  .openapi('PreviewUpload');

/**
 * Saves uploaded files for their import job (the job reads them from disk, possibly after a
 * restart); an uploaded manifest.json supplies metadata for the files it names.
 */
async function saveUploads(files: File[], dir: string): Promise<ImportJobFile[]> {
  const manifestFile = files.find((f) => f.name === MANIFEST_FILE);
  let manifest = new Map<string, ManifestEntry>();
  if (manifestFile) {
    try {
      manifest = new Map(parseManifest(decodeText(new Uint8Array(await manifestFile.arrayBuffer()))).map((e) => [e.file, e]));
    } catch (e) {
      throw badRequest(e instanceof IngestError ? `${MANIFEST_FILE}: ${e.message.replace(/^manifest\.json:? ?/, '')}` : String(e), 'bad_manifest');
    }
    const uploaded = new Set(files.map((f) => f.name));
    const missing = [...manifest.keys()].find((name) => !uploaded.has(name));
    if (missing !== undefined) throw badRequest(`${MANIFEST_FILE} names ${missing}, which was not uploaded`, 'bad_manifest');
  }
  mkdirSync(dir, { recursive: true });
  const saved: ImportJobFile[] = [];
  for (const [i, f] of files.entries()) {
    if (f === manifestFile) continue;
    // On disk an upload is a number: a name from the client never becomes a path.
    const path = join(dir, String(i));
    await writeFile(path, new Uint8Array(await f.arrayBuffer()));
    const entry = manifest.get(f.name);
    // The name is stored and reported: without NUL characters, which PostgreSQL cannot store (a manifest never names one).
    saved.push({ file: stripNul(f.name).text, path, manifest: entry ? manifestMeta(entry) : null });
  }
  return saved;
}

/** `/api/imports`: file upload and the bundled demo corpus. */
export function importsRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: `Upload files to import (multipart, field "files"; at most ${formatBytes(MAX_UPLOAD_BYTES)} per request, and ${formatBytes(MAX_FILE_BYTES)} per single-document file). Saves them and queues an import job at once; the job's result, filled file by file, is the per-file report of \`import --json\` (rejected rows with line, column and reason).`,
        middleware: [
          bodyLimit({
            maxSize: MAX_UPLOAD_BYTES,
            onError: (c) => c.json({ error: { code: 'payload_too_large', message: `upload is over the ${formatBytes(MAX_UPLOAD_BYTES)} limit per request (import larger row files with the CLI: framescope import FILE)` } }, 413),
          }),
        ] as const,
        request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadSchema } } } },
        responses: { 202: json(JobSchema, 'Import job queued'), ...errorResponses, 413: json(ErrorSchema, 'Upload too large') },
      }),
      async (c) => {
        const { files, map: rawMap, importName, strict, gold, evaluationOnly, dateOrder, ...fields } = c.req.valid('form');
        if (files.length === 0) throw badRequest('no files uploaded (send them in the multipart field "files")', 'no_files');
        let map;
        try {
          map = parseColumnMap(rawMap);
        } catch (e) {
          throw badRequest((e as Error).message.replace(/^--map/, 'map'));
        }
        const meta: DocumentMeta = fields;
        const dir = uploadDir(deps.jobs.filesDir, randomUUID());
        const params: ImportJobParams = { files: await saveUploads(files, dir), options: { origin: 'upload', meta, map, importName, gold: gold === 'true', evaluationOnly: evaluationOnly === 'true', actor: actorName(c, 'local'), strict: strict === 'true', dateOrder }, uploadDir: dir };
        return c.json(jobView(deps.jobs.submit({ kind: 'import', params, createdBy: actorName(c, 'local') }), deps.jobs), 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/preview',
        summary: 'Preview a row file before importing it: detected columns, the first rows and the proposed mapping (nothing is stored)',
        middleware: [bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => c.json({ error: { code: 'payload_too_large', message: `upload is over the ${formatBytes(MAX_UPLOAD_BYTES)} limit per request` } }, 413) })] as const,
        request: { body: { required: true, content: { 'multipart/form-data': { schema: PreviewSchema } } } },
        responses: { 200: json(ColumnPreviewSchema, 'What the file would import as'), ...errorResponses, 413: json(ErrorSchema, 'Upload too large') },
      }),
      async (c) => {
        const { file, map: rawMap } = c.req.valid('form');
        let map;
        try {
          map = parseColumnMap(rawMap);
        } catch (e) {
          throw badRequest((e as Error).message.replace(/^--map/, 'map'));
        }
        try {
          return c.json(await previewRowFile(bytesSource(file.name, new Uint8Array(await file.arrayBuffer())), map), 200);
        } catch (e) {
          if (e instanceof IngestError) throw badRequest(e.message, 'invalid_input');
          throw e;
        }
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/demo',
        summary: 'Load the bundled demo corpus (fictional articles); idempotent',
        responses: { 200: json(ImportReportSchema, 'Per-file report'), ...errorResponses },
      }),
      async (c) => c.json(await importDemoCorpus(db, actorName(c, 'local')), 200),
    );
}
