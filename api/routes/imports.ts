import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { importDemoCorpus } from '../ingest/demo.ts';
import { importFiles, ImportReportSchema, type ImportInput } from '../ingest/import.ts';
import { MANIFEST_FILE, manifestMeta, parseManifest, type ManifestEntry } from '../ingest/manifest.ts';
import { decodeText, formatBytes, IngestError, MAX_FILE_BYTES } from '../ingest/normalize.ts';
import { parseColumnMap, type DocumentMeta } from '../ingest/readers.ts';
import { actorName, ErrorSchema, errorResponses, json, newRouter } from './router.ts';

/** Largest upload request: 64 MiB in all (each file also stays under the 32 MiB per-file limit). */
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
      .openapi({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'one or more files (.txt .md .html .csv .jsonl, and optionally a manifest.json for them)' }),
    source: field(),
    title: field(),
    author: field(),
    published: field('YYYY, YYYY-MM or YYYY-MM-DD'),
    url: field(),
    language: field(),
    country: field(),
    map: field('CSV/JSONL column map, e.g. text=content,title=headline'),
    importName: field(),
  })
  .openapi('Upload');

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

/** `/api/imports`: file upload and the bundled demo corpus. */
export function importsRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: `Upload files to import (multipart, field "files"; at most ${formatBytes(MAX_UPLOAD_BYTES)} per request and ${formatBytes(MAX_FILE_BYTES)} per file). Returns the per-file report of \`import --json\`.`,
        middleware: [
          bodyLimit({
            maxSize: MAX_UPLOAD_BYTES,
            onError: (c) => c.json({ error: { code: 'payload_too_large', message: `upload is over the ${formatBytes(MAX_UPLOAD_BYTES)} limit per request (files may be at most ${formatBytes(MAX_FILE_BYTES)} each)` } }, 413),
          }),
        ] as const,
        request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadSchema } } } },
        responses: { 200: json(ImportReportSchema, 'Per-file report'), ...errorResponses, 413: json(ErrorSchema, 'Upload too large') },
      }),
      async (c) => {
        const { files, map: rawMap, importName, ...fields } = c.req.valid('form');
        if (files.length === 0) throw badRequest('no files uploaded (send them in the multipart field "files")', 'no_files');
        let map;
        try {
          map = parseColumnMap(rawMap);
        } catch (e) {
          throw badRequest((e as Error).message.replace(/^--map/, 'map'));
        }
        const meta: DocumentMeta = fields;
        const inputs = await uploadInputs(files);
        return c.json(importFiles(db, inputs, { origin: 'upload', meta, map, importName, actor: actorName(c, 'local') }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/demo',
        summary: 'Load the bundled demo corpus (fictional articles); idempotent',
        responses: { 200: json(ImportReportSchema, 'Per-file report'), ...errorResponses },
      }),
      (c) => c.json(importDemoCorpus(db, actorName(c, 'local')), 200),
    );
}
