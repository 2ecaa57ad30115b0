import { createRoute, z } from '@hono/zod-openapi';
import { DashboardQuerySchema, parseFilters } from '../dashboard/filters.ts';
import {
  AgreementSchema,
  correctedEstimates,
  CorrectedSchema,
  dashboardMeta,
  DashboardMetaSchema,
  drillDown,
  framingMix,
  FramingSchema,
  modelAndPeople,
  PassagesSchema,
  SimilaritySchema,
  sourceSimilarity,
  stanceBySource,
  StanceSchema,
  themesBySource,
  ThemesSchema,
  timeline,
  TimelineSchema,
} from '../dashboard/service.ts';
import type { AppDeps } from '../deps.ts';
import { errorResponses, json, newRouter } from './router.ts';

const id = z.string().regex(/^\d+$/, 'expected an id').transform(Number);
const DrillQuerySchema = DashboardQuerySchema.extend({
  sourceId: id.optional(),
  label: z.string().optional(),
  theme: z.string().optional(),
  period: z.string().regex(/^\d{4}(-\d{2})?$/, 'expected YYYY or YYYY-MM').optional(),
  granularity: z.enum(['month', 'year']).optional(),
  suggested: z.string().optional(),
  reviewed: z.string().optional(),
  randomSample: z.enum(['1', 'true']).optional(),
  offset: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).default(0),
  limit: z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, 'limit must be 1..500')
    .default(50),
});

/** `limit` of the views that draw only the largest sources: a number, or `all` (null). */
const sourceLimit = (byDefault: string, description: string) =>
  z
    .string()
    .regex(/^([1-9]\d*|all)$/, 'expected a whole number from 1, or "all"')
    .default(byDefault)
    .transform((v) => (v === 'all' ? null : Number(v)))
    .openapi({ description });

/** `/api/dashboard`: the comparative dashboard's aggregates and drill-down. */
export function dashboardRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/meta', summary: 'Codebook, sources, provenance values and totals for the filters', tags: ['dashboard'], request: { query: DashboardQuerySchema }, responses: { 200: json(DashboardMetaSchema, 'Filter options'), ...errorResponses } }),
      (c) => c.json(dashboardMeta(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/framing', summary: 'Framing-label mix per source', tags: ['dashboard'], request: { query: DashboardQuerySchema }, responses: { 200: json(FramingSchema, 'Label counts and shares per source'), ...errorResponses } }),
      (c) => c.json(framingMix(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/stance', summary: 'Mean stance per source with a 95% interval over documents', tags: ['dashboard'],
        request: { query: DashboardQuerySchema },
        responses: { 200: json(StanceSchema, 'Mean stance and interval per source'), ...errorResponses },
      }),
      (c) => c.json(stanceBySource(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/themes', summary: 'Theme shares per source and per framing label', tags: ['dashboard'], request: { query: DashboardQuerySchema }, responses: { 200: json(ThemesSchema, 'Theme heatmap cells'), ...errorResponses } }),
      (c) => c.json(themesBySource(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/timeline', summary: 'Framing mix and mean stance per source by month or year', tags: ['dashboard'],
        request: {
          query: DashboardQuerySchema.extend({
            granularity: z.enum(['month', 'year']).default('month'),
            limit: sourceLimit('20', 'Only the N sources with the most counted items when no sources are chosen (default 20; the response says how many were omitted), or all'),
          }),
        },
        responses: { 200: json(TimelineSchema, 'Per-period rows'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(timeline(deps.db, parseFilters(q), q.granularity, q.limit), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/similarity', summary: 'Jensen–Shannon distances between source profiles', tags: ['dashboard'],
        request: {
          query: DashboardQuerySchema.extend({
            limit: sourceLimit('40', 'Compare the N largest sources, or all'),
          }),
        },
        responses: { 200: json(SimilaritySchema, 'Distance matrices'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        const result = sourceSimilarity(deps.db, parseFilters(q), q.limit);
        // NaN (a source without themes) has no JSON form: send null.
        const clean = (m: number[][]) => m.map((row) => row.map((v) => (Number.isNaN(v) ? null : v)));
        return c.json({ ...result, framing: clean(result.framing), themes: clean(result.themes), combined: clean(result.combined) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/agreement', summary: 'Suggested vs reviewed labels, agreement, and review progress per source', tags: ['dashboard'],
        request: { query: DashboardQuerySchema },
        responses: { 200: json(AgreementSchema, 'Confusion matrix and progress'), ...errorResponses },
      }),
      (c) => c.json(modelAndPeople(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/corrected', summary: 'Model estimates corrected by the random reviewed sample', tags: ['dashboard'],
        request: { query: DashboardQuerySchema },
        responses: { 200: json(CorrectedSchema, 'Model-only and corrected estimates per source'), ...errorResponses },
      }),
      (c) => c.json(correctedEstimates(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/passages', summary: 'The items behind a bar, cell or point', tags: ['dashboard'], request: { query: DrillQuerySchema }, responses: { 200: json(PassagesSchema, 'A page of items'), ...errorResponses } }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(
          drillDown(deps.db, parseFilters(q), {
            sourceId: q.sourceId,
            label: q.label,
            theme: q.theme,
            period: q.period,
            granularity: q.granularity,
            suggested: q.suggested,
            reviewed: q.reviewed,
            randomSample: q.randomSample !== undefined,
            offset: q.offset,
            limit: q.limit,
          }),
          200,
        );
      },
    );
}
