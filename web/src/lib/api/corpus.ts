import { api, call, type Input, type Ok } from './client.ts';

/** An outlet or author channel, with how much of the corpus it holds. */
export type Source = Ok<typeof api.sources[':id']['$get']>;
export type SourcePatch = Input<typeof api.sources[':id']['$patch']>['json'];
export type DocumentPage = Ok<typeof api.documents.$get>;
export type DocumentSummary = DocumentPage['documents'][number];
export type DocumentView = Ok<typeof api.documents[':id']['$get']>;
export type Passage = DocumentView['passages'][number];
export type ImportReport = Ok<typeof api.imports.demo.$post>;
export type FileReport = ImportReport['files'][number];
/** What a row file would import as: detected columns, first rows, proposed mapping. */
export type ColumnPreview = Ok<typeof api.imports.preview.$post>;

export type Grouping = Ok<typeof api.sources.groupings.$get>['groupings'][number];
export type SourcesImportReport = Ok<typeof api.sources.import.$post>;

export const listSources = () => call(api.sources.$get()).then((r) => r.sources);
/** Country, language and the named groupings, each value with its number of sources. */
export const listGroupings = () => call(api.sources.groupings.$get()).then((r) => r.groupings);
/** Creates and updates sources and their groupings from a CSV. */
export const importSourcesFile = (file: File) => call(api.sources.import.$post({ form: { file } }));
export const updateSource = (id: number, patch: SourcePatch) => call(api.sources[':id'].$patch({ param: { id: String(id) }, json: patch }));
export const listDocuments = (p: { q?: string; sourceId?: number; page: number; pageSize: number }) =>
  call(api.documents.$get({ query: { q: p.q || undefined, sourceId: p.sourceId, page: p.page, pageSize: p.pageSize } }));
export const getDocument = (id: number) => call(api.documents[':id'].$get({ param: { id: String(id) } }));
export const loadDemoCorpus = () => call(api.imports.demo.$post());

/**
 * A fetch for one request through XMLHttpRequest, which (unlike fetch) reports upload progress:
 * `onProgress` gets 0..1 as bytes leave the browser.
 */
function fetchWithUploadProgress(onProgress: (fraction: number) => void): typeof fetch {
  return (input, init) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init?.method ?? 'GET', input instanceof Request ? input.url : String(input));
      new Headers(init?.headers).forEach((value, key) => xhr.setRequestHeader(key, value));
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers }));
      };
      xhr.onerror = () => reject(new Error('upload failed: the server could not be reached'));
      const body = init?.body;
      xhr.send(body instanceof FormData || typeof body === 'string' ? body : null);
    });
}

/**
 * Uploads files to import (with the form's metadata fields), reporting upload progress (0..1).
 * Resolves with the import job the server queued: follow it with followJob; its result is the
 * per-file report, filled as files finish.
 */
export function uploadFiles(files: File[], fields: { source?: string; map?: string; strict?: boolean; evaluationOnly?: boolean; dateOrder?: 'mdy' | 'dmy' | 'ymd' }, onProgress: (fraction: number) => void) {
  const text = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return call(
    api.imports.$post(
      { form: { files, source: text(fields.source), map: text(fields.map), strict: fields.strict ? 'true' : undefined, evaluationOnly: fields.evaluationOnly ? 'true' : undefined, dateOrder: fields.dateOrder } },
      { fetch: fetchWithUploadProgress(onProgress) },
    ),
  );
}

/** Reads the first rows of a row file on the server and proposes its column mapping; nothing is stored. */
export const previewUpload = (file: File, map?: string) => call(api.imports.preview.$post({ form: { file, map: map || undefined } }));

/** Whether a file name is a row file (one document per row), which gets a mapping preview before import. */
export const isRowFile = (name: string) => /\.(csv|tsv|tab|jsonl|ndjson|json|xlsx)(\.gz)?$/i.test(name) && !/\.xlsx\.gz$/i.test(name);
