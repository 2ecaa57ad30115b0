import { qs, request } from '../http.ts';

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

export interface DocumentSummary {
  id: number;
  title: string;
  author: string | null;
  published: string | null;
  publishedPrecision: 'day' | 'month' | 'year' | null;
  url: string | null;
  language: string | null;
  sourceId: number;
  sourceName: string;
  passageCount: number;
  excludedCount: number;
  createdAt: string;
}

export interface DocumentPage {
  documents: DocumentSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Passage {
  id: number;
  seq: number;
  start: number;
  end: number;
  text: string;
  excluded: boolean;
  excludedReason: string | null;
  excludedBy: 'auto' | 'reviewer' | null;
  autoExcluded: boolean;
  autoExcludedReason: string | null;
  itemId: number;
}

export interface DocumentView {
  document: DocumentSummary & { text: string; notes: string | null; origin: string | null; contentHash: string; publishedStart: string | null; importId: number | null };
  itemId: number;
  passages: Passage[];
}

export interface FileReport {
  file: string;
  status: 'imported' | 'unchanged' | 'failed';
  documents: number;
  unchanged: number;
  passages: number;
  labels: number;
  error?: string;
}

export interface ImportReport {
  files: FileReport[];
  totals: { files: number; imported: number; unchanged: number; failed: number; documents: number; unchangedDocuments: number; passages: number; labels: number };
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
