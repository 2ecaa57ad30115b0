import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { getDocument, getSource, listDocuments, listSources, updateSource } from '../ingest/corpus.ts';
import { importDemoCorpus } from '../ingest/demo.ts';
import { importFiles, type ImportInput } from '../ingest/import.ts';
import { MANIFEST_FILE, manifestMeta, parseManifest, type ManifestEntry } from '../ingest/manifest.ts';
import { decodeText, formatBytes, IngestError, MAX_FILE_BYTES } from '../ingest/normalize.ts';
import { parseColumnMap, type DocumentMeta } from '../ingest/readers.ts';
import { ErrorSchema, errorResponses, newRouter } from './router.ts';

/** Largest upload request: 64 MiB in all (each file also stays under the 32 MiB per-file limit). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const IdParams = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });

const SourceSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    country: z.string().nullable(),
    url: z.string().nullable(),
    notes: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    documentCount: z.number().int(),
    passageCount: z.number().int(),
  })
  .openapi('Source');

const SourcePatchSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    country: z.string().trim().max(100).nullable().optional(),
    url: z.string().trim().max(2000).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
  })
  .openapi('SourcePatch');

const DocumentSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    author: z.string().nullable(),
    published: z.string().nullable(),
    publishedPrecision: z.enum(['day', 'month', 'year']).nullable(),
    url: z.string().nullable(),
    language: z.string().nullable(),
    sourceId: z.number().int(),
    sourceName: z.string(),
    passageCount: z.number().int(),
    excludedCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('DocumentSummary');

const DocumentPageSchema = z
  .object({ documents: z.array(DocumentSummarySchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .openapi('DocumentPage');

const PassageSchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    start: z.number().int(),
    end: z.number().int(),
    text: z.string(),
    excluded: z.boolean(),
    excludedReason: z.string().nullable(),
    excludedBy: z.enum(['auto', 'reviewer']).nullable(),
    autoExcluded: z.boolean(),
    autoExcludedReason: z.string().nullable(),
    itemId: z.number().int(),
  })
  .openapi('Passage');

const DocumentViewSchema = z
  .object({
    document: DocumentSummarySchema.extend({
      text: z.string(),
      notes: z.string().nullable(),
      origin: z.string().nullable(),
      contentHash: z.string(),
      publishedStart: z.string().nullable(),
      importId: z.number().int().nullable(),
    }),
    itemId: z.number().int(),
    passages: z.array(PassageSchema),
  })
  .openapi('DocumentView');

const FileReportSchema = z.object({
  file: z.string(),
  status: z.enum(['imported', 'unchanged', 'failed']),
  documents: z.number().int(),
  unchanged: z.number().int(),
  passages: z.number().int(),
  labels: z.number().int(),
  error: z.string().optional(),
});
const ImportReportSchema = z
  .object({
    files: z.array(FileReportSchema),
    totals: z.object({
      files: z.number().int(),
      imported: z.number().int(),
      unchanged: z.number().int(),
      failed: z.number().int(),
      documents: z.number().int(),
      unchangedDocuments: z.number().int(),
      passages: z.number().int(),
      labels: z.number().int(),
    }),
  })
  .openapi('ImportReport');

const UploadSchema = z
  .object({
    files: z.unknown().openapi({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'one or more files (.txt .md .html .csv .jsonl, and optionally a manifest.json for them)' }),
    source: z.string().optional(),
    title: z.string().optional(),
    author: z.string().optional(),
    published: z.string().optional().openapi({ description: 'YYYY, YYYY-MM or YYYY-MM-DD' }),
    url: z.string().optional(),
    language: z.string().optional(),
    country: z.string().optional(),
    map: z.string().optional().openapi({ description: 'CSV/JSONL column map, e.g. text=content,title=headline' }),
    importName: z.string().optional(),
  })
  .openapi('Upload');

function actorName(c: Context): string {
  return c.get('actor')?.name ?? 'local';
}

function formText(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

/** Uploaded files as import inputs; an uploaded manifest.json supplies metadata for the files it names. */
async function uploadInputs(files: File[]): Promise<ImportInput[]> {
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
  const inputs: ImportInput[] = [];
  for (const f of files) {
    if (f === manifestFile) continue;
    const bytes = f.size > MAX_FILE_BYTES ? new Uint8Array() : new Uint8Array(await f.arrayBuffer());
    const entry = manifest.get(f.name);
    inputs.push({ file: f.name, size: f.size, read: () => bytes, manifest: entry ? manifestMeta(entry) : null });
  }
  return inputs;
}

/** Routes for issue 2: sources, documents with their passages, file upload and the demo corpus. */
export function corpusRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/sources',
        summary: 'Every source with document and passage counts',
        responses: { 200: json(z.object({ sources: z.array(SourceSchema) }).openapi('SourceList'), 'Sources') },
      }),
      (c) => c.json({ sources: listSources(db) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/sources/{id}',
        summary: 'One source with its counts (its documents: GET /api/documents?sourceId=)',
        request: { params: IdParams },
        responses: { 200: json(SourceSchema, 'Source'), ...errorResponses },
      }),
      (c) => c.json(getSource(db, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/sources/{id}',
        summary: 'Edit a source: name, country, url, notes (null clears)',
        request: { params: IdParams, body: { content: { 'application/json': { schema: SourcePatchSchema } }, required: true } },
        responses: { 200: json(SourceSchema, 'Updated source'), ...errorResponses, 409: json(ErrorSchema, 'Name taken') },
      }),
      (c) => c.json(updateSource(db, c.req.valid('param').id, c.req.valid('json'), actorName(c), deps.now()), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/documents',
        summary: 'Documents, newest first, searched in title/author/text and paged',
        request: {
          query: z.object({
            q: z.string().max(500).optional(),
            sourceId: z.coerce.number().int().positive().optional(),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(200).default(25),
          }),
        },
        responses: { 200: json(DocumentPageSchema, 'One page of documents'), ...errorResponses },
      }),
      (c) => c.json(listDocuments(db, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/documents/{id}',
        summary: 'A document with its text and passages (exclusion state and item ids)',
        request: { params: IdParams },
        responses: { 200: json(DocumentViewSchema, 'Document'), ...errorResponses },
      }),
      (c) => c.json(getDocument(db, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports',
        summary: `Upload files to import (multipart, field "files"; at most ${formatBytes(MAX_UPLOAD_BYTES)} per request and ${formatBytes(MAX_FILE_BYTES)} per file). Returns the per-file report of \`import --json\`.`,
        middleware: [
          bodyLimit({
            maxSize: MAX_UPLOAD_BYTES,
            onError: (c) => c.json({ error: { code: 'payload_too_large', message: `upload is over the ${formatBytes(MAX_UPLOAD_BYTES)} limit per request (files may be at most ${formatBytes(MAX_FILE_BYTES)} each)` } }, 413),
          }),
        ] as const,
        request: { body: { content: { 'multipart/form-data': { schema: UploadSchema } }, required: true } },
        responses: { 200: json(ImportReportSchema, 'Per-file report'), ...errorResponses, 413: json(ErrorSchema, 'Upload too large') },
      }),
      async (c) => {
        const body = await c.req.parseBody({ all: true });
        const raw = body.files;
        const files = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((f): f is File => typeof f !== 'string');
        if (files.length === 0) throw badRequest('no files uploaded (send them in the multipart field "files")', 'no_files');
        let map;
        try {
          map = parseColumnMap(formText(body, 'map'));
        } catch (e) {
          throw badRequest((e as Error).message.replace(/^--map/, 'map'));
        }
        const meta: DocumentMeta = {};
        for (const k of ['source', 'title', 'author', 'published', 'url', 'language', 'country'] as const) meta[k] = formText(body, k);
        const inputs = await uploadInputs(files);
        const report = importFiles(db, inputs, { origin: 'upload', meta, map, importName: formText(body, 'importName'), actor: actorName(c) });
        return c.json(report, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/imports/demo',
        summary: 'Load the bundled demo corpus (fictional articles); idempotent',
        responses: { 200: json(ImportReportSchema, 'Per-file report') },
      }),
      (c) => c.json(importDemoCorpus(db, actorName(c)), 200),
    );
}
