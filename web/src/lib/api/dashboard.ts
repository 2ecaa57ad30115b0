import { api, call, type Input, type Ok } from './client.ts';

const views = api.dashboard;

type DashboardQuery = NonNullable<Input<typeof views.framing.$get>['query']>;
/** The dashboard's shared filters as they sit in the page URL and the API query (basis and level always set). */
export type DashboardParams = DashboardQuery & Required<Pick<DashboardQuery, 'basis' | 'level'>>;
/** What a clicked bar, cell or point narrows the list of items to: the drill-down's own query fields. */
export type DrillDownQuery = Omit<NonNullable<Input<typeof views.passages.$get>['query']>, keyof DashboardQuery>;

export type DashboardMeta = Ok<typeof views.meta.$get>;
export type ViewHeader = Omit<Ok<typeof views.framing.$get>, 'rows'>;
export type FramingRow = Ok<typeof views.framing.$get>['rows'][number];
export type StanceRow = Ok<typeof views.stance.$get>['rows'][number];
export type ThemeCell = Ok<typeof views.themes.$get>['cells'][number];
export type LabelThemeCell = Ok<typeof views.themes.$get>['labelCells'][number];
export type TimelineSeries = Ok<typeof views.timeline.series.$get>;
export type AgreementResult = Ok<typeof views.agreement.$get>;
export type CorrectedRow = Ok<typeof views.corrected.$get>['rows'][number];
export type DrillDownItem = Ok<typeof views.passages.$get>['items'][number];
export type GroupComparison = Ok<typeof views.compare.$get>;
/** A drill-down may also narrow to one group (GROUPING:VALUE) instead of one source. */
export type DrillScope = DrillDownQuery & Pick<DashboardQuery, 'group'>;

/** Agreement and corrected estimates always rest on independent human decisions: they take no basis. */
const withoutBasis = ({ basis: _basis, includeBulk: _bulk, ...rest }: DashboardParams) => rest;

/** Typed calls to `GET /api/dashboard/*`. */
export const dashboardApi = {
  meta: (p: DashboardParams) => call(views.meta.$get({ query: p })),
  framing: (p: DashboardParams) => call(views.framing.$get({ query: p })),
  stance: (p: DashboardParams) => call(views.stance.$get({ query: p })),
  themes: (p: DashboardParams) => call(views.themes.$get({ query: p })),
  timeline: (p: DashboardParams, granularity: 'month' | 'year', limit: number | 'all') => call(views.timeline.series.$get({ query: { ...p, granularity, limit: String(limit) } })),
  similarity: (p: DashboardParams, limit: number | 'all') => call(views.similarity.$get({ query: { ...p, limit: String(limit) } })),
  agreement: (p: DashboardParams) => call(views.agreement.$get({ query: withoutBasis(p) })),
  corrected: (p: DashboardParams) => call(views.corrected.$get({ query: withoutBasis(p) })),
  passages: (p: DashboardParams, d: DrillScope) => call(views.passages.$get({ query: { ...p, ...d } })),
  compare: (p: DashboardParams, a: string, b: string) => call(views.compare.$get({ query: { ...p, a, b } })),
};
