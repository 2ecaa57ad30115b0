import { createRoute, z } from '@hono/zod-openapi';
import { DashboardQuerySchema, parseFilters, type DashboardQuery } from '../dashboard/filters.ts';
import { resolveGroupScope } from '../dashboard/groups.ts';
import { compareGroups, CompareSchema } from '../dashboard/views/compare.ts';
import { AgreementSchema, modelAndPeople } from '../dashboard/views/agreement.ts';
import { correctedEstimates, CorrectedSchema } from '../dashboard/views/corrected.ts';
import { framingMix, FramingSchema } from '../dashboard/views/framing.ts';
import { dashboardMeta, DashboardMetaSchema } from '../dashboard/views/meta.ts';
import { drillDown, PassagesSchema } from '../dashboard/views/passages.ts';
import { SimilaritySchema, sourceSimilarity } from '../dashboard/views/similarity.ts';
import { stanceBySource, StanceSchema } from '../dashboard/views/stance.ts';
import { themesBySource, ThemesSchema } from '../dashboard/views/themes.ts';
import { timeline, TimelineSchema } from '../dashboard/views/timeline.ts';
import { timelineSeries, TimelineSeriesSchema } from '../dashboard/views/timelineSeries.ts';
import type { AppDeps } from '../deps.ts';
import { compareOverStories, groupSides, StoryCompareSchema } from '../stories/matched.ts';
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

const TimelineQuerySchema = DashboardQuerySchema.extend({
  granularity: z.enum(['month', 'year']).default('month'),
  limit: sourceLimit('20', 'Only the N sources with the most counted items when no sources are chosen (default 20; the response says how many were omitted), or all'),
});
const SimilarityQuerySchema = DashboardQuerySchema.extend({ limit: sourceLimit('40', 'Compare the N largest sources, or all') });
/** Agreement and corrected estimates always rest on independent human decisions: they take no basis. */
const PeopleQuerySchema = DashboardQuerySchema.omit({ basis: true, includeBulk: true });
const CompareQuerySchema = DashboardQuerySchema.extend({
  a: z.string().max(200).openapi({ description: "One group of the groupBy grouping (a value; empty for the sources without one)" }),
  b: z.string().max(200).openapi({ description: 'The other group' }),
});

const StoryCompareQuerySchema = CompareQuerySchema.extend({
  syndicated: z.enum(['include', 'exclude']).default('exclude').openapi({ description: 'include: syndicated copies count as articles (and as coverage) of their own; by default the original stands for its copies' }),
});

const tags = ['dashboard'];

/** `/api/dashboard`: the comparative dashboard's aggregates and drill-down. */
export function dashboardRoutes(deps: AppDeps) {
  const { db } = deps;
  /** The parsed filters with a `group` narrowing resolved into its sources. */
  const filters = (q: DashboardQuery) => resolveGroupScope(db, parseFilters(q, db));
  const peopleFilters = (q: z.infer<typeof PeopleQuerySchema>) => filters({ ...q, basis: 'people', includeBulk: false });
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/meta',
        summary: 'Codebook, sources, provenance values and totals for the filters',
        tags,
        request: { query: DashboardQuerySchema },
        responses: { 200: json(DashboardMetaSchema, 'Filter options'), ...errorResponses },
      }),
      (c) => c.json(dashboardMeta(db, filters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/framing',
        summary: 'Framing-label mix per source',
        tags,
        request: { query: DashboardQuerySchema },
        responses: { 200: json(FramingSchema, 'Label counts and shares per source'), ...errorResponses },
      }),
      (c) => c.json(framingMix(db, filters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/stance',
        summary: 'Mean stance per source with a 95% interval over documents',
        tags,
        request: { query: DashboardQuerySchema },
        responses: { 200: json(StanceSchema, 'Mean stance and interval per source'), ...errorResponses },
      }),
      (c) => c.json(stanceBySource(db, filters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/themes',
        summary: 'Theme shares per source and per framing label',
        tags,
        request: { query: DashboardQuerySchema },
        responses: { 200: json(ThemesSchema, 'Theme heatmap cells'), ...errorResponses },
      }),
      (c) => c.json(themesBySource(db, filters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/timeline',
        summary: 'Framing mix and mean stance per source by month or year',
        tags,
        request: { query: TimelineQuerySchema },
        responses: { 200: json(TimelineSchema, 'Per-period rows'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(timeline(db, filters(q), q.granularity, q.limit), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/timeline/series',
        summary: 'The timeline as one axis of periods and per-source (or per-group) arrays over it: the same numbers as /timeline, in the shape the chart draws',
        tags,
        request: { query: TimelineQuerySchema },
        responses: { 200: json(TimelineSeriesSchema, 'Periods and a line per source or group'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(timelineSeries(db, filters(q), q.granularity, q.limit), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/similarity',
        summary: 'Jensen–Shannon distances between source profiles',
        tags,
        request: { query: SimilarityQuerySchema },
        responses: { 200: json(SimilaritySchema, 'Distance matrices'), ...errorResponses },
      }),
      (c) => {
        const q = c.req.valid('query');
        return c.json(sourceSimilarity(db, filters(q), q.limit), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/agreement',
        summary: 'Suggested vs independent human labels (one pair per item, no bulk accepts), agreement, and review progress per source',
        tags,
        request: { query: PeopleQuerySchema },
        responses: { 200: json(AgreementSchema, 'Confusion matrix and progress'), ...errorResponses },
      }),
      (c) => c.json(modelAndPeople(db, peopleFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/corrected',
        summary: 'Model estimates corrected by the random sample of independent human decisions',
        tags,
        request: { query: PeopleQuerySchema },
        responses: { 200: json(CorrectedSchema, 'Model-only and corrected estimates per source'), ...errorResponses },
      }),
      (c) => c.json(correctedEstimates(db, peopleFilters(c.req.valid('query'))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compare',
        summary: 'Two groups of a grouping side by side: label shares and mean stance, the difference and its 95% interval over documents',
        tags,
        request: { query: CompareQuerySchema },
        responses: { 200: json(CompareSchema, 'Both groups and their differences'), ...errorResponses },
      }),
      (c) => {
        const { a, b, ...q } = c.req.valid('query');
        return c.json(compareGroups(db, filters(q), a, b), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/compare/stories',
        summary: 'Two groups (or two outlets with groupBy=source) compared only over the stories both covered, beside the comparison over every document, and the stories one covered and the other did not',
        tags,
        request: { query: StoryCompareQuerySchema },
        responses: { 200: json(StoryCompareSchema, 'Matched and unmatched comparisons and the coverage gaps'), ...errorResponses },
      }),
      (c) => {
        const { a, b, ...q } = c.req.valid('query');
        const f = filters(q);
        return c.json(compareOverStories(db, f, ...groupSides(db, f, a, b)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/passages',
        summary: 'The items behind a bar, cell or point',
        tags,
        request: { query: DrillQuerySchema },
        responses: { 200: json(PassagesSchema, 'A page of items'), ...errorResponses },
      }),
      (c) => {
        const { sourceId, label, theme, period, granularity, suggested, reviewed, randomSample, offset, limit, ...rest } = c.req.valid('query');
        const drill = { sourceId, label, theme, period, granularity, suggested, reviewed, randomSample: randomSample !== undefined, offset, limit };
        return c.json(drillDown(db, filters(rest), drill), 200);
      },
    );
}
