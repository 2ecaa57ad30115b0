import { createRoute, z } from '@hono/zod-openapi';
import { DashboardQuerySchema, parseFilters } from '../dashboard/filters.ts';
import {
  correctedEstimates,
  dashboardMeta,
  drillDown,
  framingMix,
  modelAndPeople,
  sourceSimilarity,
  stanceBySource,
  themesBySource,
  timeline,
} from '../dashboard/service.ts';
import type { AppDeps } from '../deps.ts';
import { errorResponses, newRouter } from './router.ts';

const Header = {
  statement: z.string().openapi({ description: 'Where the numbers come from (model, people, or final)' }),
  level: z.enum(['passage', 'document']),
};
const Codebook = z.looseObject({ id: z.number().int(), name: z.string(), version: z.string() });
const Basis = z.enum(['model', 'reviewed', 'final']);

const MetaSchema = z
  .looseObject({ codebook: Codebook, sources: z.array(z.looseObject({ id: z.number().int(), name: z.string(), items: z.number().int() })) })
  .openapi('DashboardMeta');
const FramingSchema = z
  .looseObject({ ...Header, basis: Basis, codebook: Codebook, rows: z.array(z.looseObject({ sourceId: z.number().int(), counted: z.number().int() })) })
  .openapi('DashboardFraming');
const StanceSchema = z
  .looseObject({
    ...Header,
    basis: Basis,
    codebook: Codebook,
    rows: z.array(z.looseObject({ sourceId: z.number().int(), mean: z.number(), low: z.number(), high: z.number(), small: z.boolean() })),
  })
  .openapi('DashboardStance');
const ThemesSchema = z
  .looseObject({ ...Header, basis: Basis, codebook: Codebook, cells: z.array(z.looseObject({ sourceId: z.number().int(), theme: z.string(), count: z.number().int() })) })
  .openapi('DashboardThemes');
const TimelineSchema = z
  .looseObject({ ...Header, basis: Basis, granularity: z.enum(['month', 'year']), rows: z.array(z.looseObject({ period: z.string() })), undated: z.number().int(), omitted: z.number().int() })
  .openapi('DashboardTimeline');
const SimilaritySchema = z
  .looseObject({ ...Header, basis: Basis, combined: z.array(z.array(z.number().nullable())), omitted: z.number().int() })
  .openapi('DashboardSimilarity');
const AgreementSchema = z
  .looseObject({ ...Header, confusion: z.array(z.looseObject({ suggested: z.string(), reviewed: z.string(), count: z.number().int() })), pairs: z.number().int() })
  .openapi('DashboardAgreement');
const CorrectedSchema = z.looseObject({ ...Header, rows: z.array(z.looseObject({ sourceId: z.number().int(), nSample: z.number().int() })) }).openapi('DashboardCorrected');
const PassagesSchema = z
  .looseObject({
    total: z.number().int(),
    items: z.array(z.looseObject({ itemId: z.number().int(), documentId: z.number().int(), text: z.string(), label: z.string().nullable() })),
  })
  .openapi('DashboardPassages');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ 200: { description, content: { 'application/json': { schema } } }, ...errorResponses });

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

/** `GET /api/dashboard/*`: the comparative dashboard's aggregates and drill-down. */
export function dashboardRoutes(deps: AppDeps) {
  const get = (path: string, summary: string) => ({ method: 'get' as const, path: `/dashboard/${path}`, summary, tags: ['dashboard'] });
  return newRouter()
    .openapi(
      createRoute({ ...get('meta', 'Codebook, sources, provenance values and totals for the filters'), request: { query: DashboardQuerySchema }, responses: json(MetaSchema, 'Filter options') }),
      (c) => c.json(dashboardMeta(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({ ...get('framing', 'Framing-label mix per source'), request: { query: DashboardQuerySchema }, responses: json(FramingSchema, 'Label counts and shares per source') }),
      (c) => c.json(framingMix(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        ...get('stance', 'Mean stance per source with a 95% interval over documents'),
        request: { query: DashboardQuerySchema },
        responses: json(StanceSchema, 'Mean stance and interval per source'),
      }),
      (c) => c.json(stanceBySource(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({ ...get('themes', 'Theme shares per source and per framing label'), request: { query: DashboardQuerySchema }, responses: json(ThemesSchema, 'Theme heatmap cells') }),
      (c) => c.json(themesBySource(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        ...get('timeline', 'Framing mix and mean stance per source by month or year'),
        request: {
          query: DashboardQuerySchema.extend({
            granularity: z.enum(['month', 'year']).default('month'),
            limit: sourceLimit('20', 'Only the N sources with the most counted items when no sources are chosen (default 20; the response says how many were omitted), or all'),
          }),
        },
        responses: json(TimelineSchema, 'Per-period rows'),
      }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(timeline(deps.db, parseFilters(q), q.granularity, q.limit), 200);
      },
    )
    .openapi(
      createRoute({
        ...get('similarity', 'Jensen–Shannon distances between source profiles'),
        request: {
          query: DashboardQuerySchema.extend({
            limit: sourceLimit('40', 'Compare the N largest sources, or all'),
          }),
        },
        responses: json(SimilaritySchema, 'Distance matrices'),
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
        ...get('agreement', 'Suggested vs reviewed labels, agreement, and review progress per source'),
        request: { query: DashboardQuerySchema },
        responses: json(AgreementSchema, 'Confusion matrix and progress'),
      }),
      (c) => c.json(modelAndPeople(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        ...get('corrected', 'Model estimates corrected by the random reviewed sample'),
        request: { query: DashboardQuerySchema },
        responses: json(CorrectedSchema, 'Model-only and corrected estimates per source'),
      }),
      (c) => c.json(correctedEstimates(deps.db, parseFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({ ...get('passages', 'The items behind a bar, cell or point'), request: { query: DrillQuerySchema }, responses: json(PassagesSchema, 'A page of items') }),
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
