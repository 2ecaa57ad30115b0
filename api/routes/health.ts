import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { json, newRouter } from './router.ts';

const HealthSchema = z.object({ ok: z.boolean(), version: z.string(), provider: z.enum(['openai', 'local']) }).openapi('Health');

/** `GET /api/health`: liveness and the default provider. */
export function healthRoutes(deps: AppDeps) {
  return newRouter().openapi(
    createRoute({ method: 'get', path: '/', summary: 'Liveness and the default provider', responses: { 200: json(HealthSchema, 'Up') } }),
    (c) => c.json({ ok: true, version: '0.1.0', provider: deps.config.defaultProvider }, 200),
  );
}
