import type { Agreement as AgreementResult } from '../../../../api/dashboard/views/agreement.ts';
import type { CorrectedRow } from '../../../../api/dashboard/views/corrected.ts';
import type { FramingRow } from '../../../../api/dashboard/views/framing.ts';
import type { DashboardMeta } from '../../../../api/dashboard/views/meta.ts';
import type { DrillDownItem } from '../../../../api/dashboard/views/passages.ts';
import type { Similarity } from '../../../../api/dashboard/views/similarity.ts';
import type { StanceRow } from '../../../../api/dashboard/views/stance.ts';
import type { LabelThemeCell, ThemeCell } from '../../../../api/dashboard/views/themes.ts';
import type { TimelineRow } from '../../../../api/dashboard/views/timeline.ts';
import type { ViewHeader } from '../../../../api/dashboard/views/common.ts';
import { qs, request } from '../http.ts';

export type { AgreementResult, CorrectedRow, DashboardMeta, DrillDownItem, FramingRow, LabelThemeCell, StanceRow, ThemeCell, TimelineRow, ViewHeader };

/** The dashboard's shared filters exactly as they sit in the page URL and the API query. */
export interface DashboardParams {
  basis: 'model' | 'reviewed' | 'final';
  level: 'passage' | 'document';
  sources?: string;
  from?: string;
  to?: string;
  provider?: string;
  model?: string;
  promptVersion?: string;
  codebook?: string;
  status?: string;
}

/** What a clicked bar, cell or point narrows the list of items to. */
export interface DrillDownQuery {
  sourceId?: number;
  label?: string;
  theme?: string;
  period?: string;
  granularity?: 'month' | 'year';
  suggested?: string;
  reviewed?: string;
  randomSample?: '1';
  offset?: number;
  limit?: number;
}

type Query = Record<string, string | number | undefined>;
const get = <T>(view: string, params: Query) => request<T>(`/api/dashboard/${view}${qs(params)}`);

/** Typed calls to `GET /api/dashboard/*`. */
export const dashboardApi = {
  meta: (p: DashboardParams) => get<DashboardMeta>('meta', { ...p }),
  framing: (p: DashboardParams) => get<ViewHeader & { rows: FramingRow[] }>('framing', { ...p }),
  stance: (p: DashboardParams) => get<ViewHeader & { rows: StanceRow[] }>('stance', { ...p }),
  themes: (p: DashboardParams) =>
    get<ViewHeader & { sources: { sourceId: number; source: string; counted: number }[]; cells: ThemeCell[]; labelCells: LabelThemeCell[]; labelCounts: Record<string, number> }>('themes', {
      ...p,
    }),
  timeline: (p: DashboardParams, granularity: 'month' | 'year', limit: number | 'all') =>
    get<ViewHeader & { granularity: 'month' | 'year'; rows: TimelineRow[]; undated: number; omitted: number }>('timeline', { ...p, granularity, limit }),
  similarity: (p: DashboardParams, limit: number | 'all') =>
    get<Similarity>('similarity', { ...p, limit }),
  agreement: (p: DashboardParams) => get<AgreementResult>('agreement', { ...p }),
  corrected: (p: DashboardParams) => get<{ level: string; statement: string; codebook: DashboardMeta['codebook']; rows: CorrectedRow[] }>('corrected', { ...p }),
  passages: (p: DashboardParams, d: DrillDownQuery) => get<{ total: number; items: DrillDownItem[]; statement: string }>('passages', { ...p, ...d }),
};
