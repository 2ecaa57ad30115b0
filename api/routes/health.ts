import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { getStats } from '../stats/service.ts';
import { newRouter } from './router.ts';

const HealthSchema = z.object({ ok: z.boolean(), version: z.string(), provider: z.enum(['openai', 'local']) }).openapi('Health');
const StatsSchema = z
  .object({
    sources: z.number().int(),
    documents: z.number().int(),
    passages: z.number().int(),
    excludedPassages: z.number().int(),
    suggestions: z.number().int(),
    reviews: z.number().int(),
    reviewedItems: z.number().int(),
    taggingRuns: z.number().int(),
  })
  .openapi('Stats');

/** `GET /api/health` and `GET /api/stats`. */
export function healthRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/health',
        summary: 'Liveness and the default provider',
        responses: { 200: { description: 'Up', content: { 'application/json': { schema: HealthSchema } } } },
      }),
      (c) => c.json({ ok: true, version: '0.1.0', provider: deps.config.defaultProvider }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/stats',
        summary: 'Corpus and work counts (same object as `stats --json`)',
        responses: { 200: { description: 'Counts', content: { 'application/json': { schema: StatsSchema } } } },
      }),
      (c) => c.json(getStats(deps.db), 200),
    );
}
