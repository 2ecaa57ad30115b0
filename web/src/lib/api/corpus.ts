import { qs, request } from '../http.ts';

// Response shapes come from the services that produce them, so a renamed field breaks the build.
import type { DocumentSummary, DocumentPage, PassageView as Passage, DocumentView } from '../../../../api/ingest/corpus.ts';
import type { FileReport, ImportReport } from '../../../../api/ingest/import.ts';
export type { DocumentSummary, DocumentPage, Passage, DocumentView, FileReport, ImportReport };

/** An outlet or author channel, with how much of the corpus it holds. */
export interface Source {
  id: number;
  name: string;
  country: string | null;
  url: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  documentCount: number;
  passageCount: number;
}

export interface SourcePatch {
  name?: string;
  country?: string | null;
  url?: string | null;
  notes?: string | null;
}







export const listSources = () => request<{ sources: Source[] }>('/api/sources').then((r) => r.sources);
export const updateSource = (id: number, patch: SourcePatch) => request<Source>(`/api/sources/${id}`, { method: 'PATCH', json: patch });
export const listDocuments = (p: { q?: string; sourceId?: number; page: number; pageSize: number }) => request<DocumentPage>(`/api/documents${qs(p)}`);
export const getDocument = (id: number) => request<DocumentView>(`/api/documents/${id}`);
export const loadDemoCorpus = () => request<ImportReport>('/api/imports/demo', { method: 'POST' });

/**
 * Uploads files to import, reporting upload progress (0..1) as bytes leave the browser;
 * XMLHttpRequest because fetch has no upload progress events.
 */
export function uploadFiles(files: File[], fields: Record<string, string>, onProgress: (fraction: number) => void): Promise<ImportReport> {
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  for (const [k, v] of Object.entries(fields)) if (v.trim() !== '') form.append(k, v.trim());
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    const csrf = /(?:^|;\s*)fs_csrf=([^;]+)/.exec(document.cookie);
    if (csrf) xhr.setRequestHeader('x-csrf-token', decodeURIComponent(csrf[1]!));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: reported below with the status line
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportReport);
      else reject(new Error((body as { error?: { message?: string } } | null)?.error?.message ?? `${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () => reject(new Error('upload failed: the server could not be reached'));
    xhr.send(form);
  });
}
