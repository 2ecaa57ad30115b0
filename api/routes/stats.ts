import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { getStats, StatsSchema } from '../stats/service.ts';
import { errorResponses, json, newRouter } from './router.ts';

/** `GET /api/stats`: the same counts as `stats --json`. */
export function statsRoutes(deps: AppDeps) {
  return newRouter().openapi(
    createRoute({ method: 'get', path: '/', summary: 'Corpus and work counts (same object as `stats --json`)', responses: { 200: json(StatsSchema, 'Counts'), ...errorResponses } }),
    (c) => c.json(getStats(deps.db), 200),
  );
}
