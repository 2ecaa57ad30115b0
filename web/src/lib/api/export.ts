import { api, call, type Input, type Ok } from './client.ts';

/** The query of `GET /api/export` (and its preview), as the API declares it. */
type ExportQuery = NonNullable<Input<typeof api.export.$get>['query']>;

/** The export form's state: the API's query, with lists as lists and flags as booleans. */
export interface ExportChoice {
  format: NonNullable<ExportQuery['format']>;
  level: NonNullable<ExportQuery['level']>;
  status: NonNullable<ExportQuery['status']>;
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

export type ExportPreview = Ok<typeof api.export.preview.$get>;
/** A stored codebook, as `GET /api/codebooks` lists it. */
export type CodebookChoice = Ok<typeof api.codebooks.$get>['codebooks'][number];

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

const text = (v: string) => (v === '' ? undefined : v);
const list = (v: readonly (string | number)[]) => (v.length === 0 ? undefined : v.join(','));
const flag = (on: boolean) => (on ? ('1' as const) : undefined);

/** The query of an export (lists comma-joined, flags only when on, blanks left out). */
export function exportQuery(c: ExportChoice): ExportQuery {
  return {
    format: c.format,
    level: c.level,
    status: c.status,
    sources: list(c.sources),
    from: text(c.from),
    to: text(c.to),
    labels: list(c.labels),
    themes: list(c.themes),
    codebook: text(c.codebook),
    provider: text(c.provider),
    model: text(c.model),
    promptVersion: text(c.promptVersion),
    includeExcluded: flag(c.includeExcluded),
    bundle: flag(c.bundle),
    bom: flag(c.format === 'csv' && c.bom),
  };
}

/** The download URL: the browser streams it straight to disk. */
export const exportUrl = (c: ExportChoice) => api.export.$path({ query: exportQuery(c) });
export const previewExport = (c: ExportChoice) => call(api.export.preview.$get({ query: exportQuery(c) }));
export const listCodebooks = () => call(api.codebooks.$get()).then((r) => r.codebooks);
/** Writes the export to a file on the server as a job (progress on the Jobs page); download it from `exportJobFileUrl` once completed. */
export const startExportJob = (c: ExportChoice) => call(api.export.jobs.$post({ query: exportQuery(c) }));
export const exportJobFileUrl = (jobId: number) => api.export.jobs[':id'].file.$path({ param: { id: String(jobId) } });
