import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { DEFAULT_RESULTS_DIR, listResults, readResult } from '../evals/results.ts';
import { errorResponses, newRouter } from './router.ts';

const IntervalSchema = z.object({ estimate: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable(), level: z.number() }).openapi('Interval');

const EvalSummarySchema = z
  .object({
    name: z.string(),
    createdAt: z.string(),
    provider: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    codebook: z.string(),
    gold: z.string(),
    protocol: z.string(),
    n: z.number().int(),
    accuracy: IntervalSchema,
    macroF1: IntervalSchema,
    kappa: IntervalSchema,
  })
  .openapi('EvalSummary');

/** The stored result file, as written by the eval runner (see api/evals/runner.ts EvalResult). */
const EvalResultSchema = z.object({ format: z.literal('framescope-eval-result'), version: z.number(), name: z.string() }).passthrough().openapi('EvalResult');

const NameParam = z.object({ name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only').openapi({ param: { name: 'name', in: 'path' }, example: 'local-baseline-shared-corpus-v1' }) });

/** Strips NaN to null the same way the result files do, so summaries always serialise. */
const finite = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as T;

/** `GET /api/evals` (stored eval results) and `GET /api/evals/{name}` (one result in full). */
export function evalsRoutes(deps: AppDeps) {
  const dir = deps.evalResultsDir ?? DEFAULT_RESULTS_DIR;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/evals',
        summary: 'Stored eval results, newest first',
        responses: { 200: { description: 'Result summaries', content: { 'application/json': { schema: z.object({ results: z.array(EvalSummarySchema) }) } } } },
      }),
      (c) => c.json(finite({ results: listResults(dir) }), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/evals/{name}',
        summary: 'One eval result: metrics, confusion matrix, calibration, provenance and per-item answers',
        request: { params: NameParam },
        responses: { 200: { description: 'The result', content: { 'application/json': { schema: EvalResultSchema } } }, ...errorResponses },
      }),
      (c) => c.json(readResult(dir, c.req.valid('param').name) as unknown as z.infer<typeof EvalResultSchema>, 200),
    );
}
