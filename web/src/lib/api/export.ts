import { qs, request } from '../http.ts';

/** What to export; mirrors the query of `GET /api/export`. */
export interface ExportChoice {
  format: 'csv' | 'jsonl' | 'parquet';
  level: 'passage' | 'document';
  status: 'reviewed' | 'final' | 'all';
  sources: number[];
  from: string;
  to: string;
  labels: string[];
  themes: string[];
  codebook: string;
  provider: string;
  model: string;
  promptVersion: string;
  includeExcluded: boolean;
  bundle: boolean;
  bom: boolean;
}

export interface ExportPreview {
  rows: number;
  emptyReason: string | null;
  fileName: string;
  filters: string[];
}

/** A codebook as `GET /api/codebooks` lists it (only what the export form needs). */
export interface CodebookChoice {
  id: number;
  name: string;
  version: string;
  active: boolean;
  definition: { labels?: { id: string; name?: string }[]; themes?: { id: string; name?: string }[] };
}

export const DEFAULT_EXPORT: ExportChoice = {
  format: 'csv',
  level: 'passage',
  status: 'final',
  sources: [],
  from: '',
  to: '',
  labels: [],
  themes: [],
  codebook: '',
  provider: '',
  model: '',
  promptVersion: '',
  includeExcluded: false,
  bundle: false,
  bom: false,
};

/** The query string of an export (lists comma-joined, flags only when on). */
export function exportQuery(c: ExportChoice): string {
  return qs({
    format: c.format,
    level: c.level,
    status: c.status,
    sources: c.sources.join(','),
    from: c.from,
    to: c.to,
    labels: c.labels.join(','),
    themes: c.themes.join(','),
    codebook: c.codebook,
    provider: c.provider,
    model: c.model,
    promptVersion: c.promptVersion,
    includeExcluded: c.includeExcluded ? '1' : undefined,
    bundle: c.bundle ? '1' : undefined,
    bom: c.format === 'csv' && c.bom ? '1' : undefined,
  });
}

/** The download URL: the browser streams it straight to disk. */
export const exportUrl = (c: ExportChoice) => `/api/export${exportQuery(c)}`;
export const previewExport = (c: ExportChoice) => request<ExportPreview>(`/api/export/preview${exportQuery(c)}`);
export const listCodebooks = () => request<{ codebooks: CodebookChoice[] }>('/api/codebooks').then((r) => r.codebooks);
