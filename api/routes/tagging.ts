import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { activateCodebook, addCodebook, listCodebooks } from '../tagging/codebooks.ts';
import { listPromptTemplates } from '../tagging/prompts.ts';
import {
  cancelRun,
  createRun,
  estimateRun,
  getRun,
  isRunActive,
  itemSuggestions,
  listRuns,
  onRunProgress,
  progressOf,
  resumeRunInBackground,
  runFailures,
  RunRequestSchema,
  startRunInBackground,
  type RunProgress,
} from '../tagging/runs.ts';
import { errorResponses, newRouter } from './router.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const IdParams = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });

const CodebookSchema = z
  .object({ id: z.number().int(), name: z.string(), version: z.string(), hash: z.string(), active: z.boolean(), createdAt: z.string(), definition: z.record(z.string(), z.unknown()) })
  .openapi('Codebook');
const PromptSchema = z.object({ id: z.string(), level: z.enum(['passage', 'document']), version: z.string(), hash: z.string(), template: z.string() }).openapi('PromptVersion');
// Declared with plain zod in the service (it must not depend on import order), so it is not given an OpenAPI name.
const RunRequest = RunRequestSchema;
const EstimateSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    displayName: z.string(),
    items: z.number().int(),
    passages: z.number().int(),
    documents: z.number().int(),
    cached: z.number().int(),
    requests: z.number().int(),
    estimatedTokensIn: z.number().int(),
    estimatedTokensOut: z.number().int(),
    estimatedCostUsd: z.number().nullable(),
  })
  .openapi('TaggingEstimate');
const RunSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded']),
    provider: z.string(),
    model: z.string(),
    codebookId: z.number().int(),
    promptVersions: z.unknown(),
    selection: z.unknown(),
    options: z.unknown(),
    itemsTotal: z.number().int(),
    itemsDone: z.number().int(),
    itemsFailed: z.number().int(),
    itemsCached: z.number().int(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
    estimatedCostUsd: z.number().nullable(),
    budgetUsd: z.number().nullable(),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    heartbeatAt: z.string().nullable(),
    live: z.boolean(),
  })
  .openapi('TaggingRun');
const FailureSchema = z.object({ itemId: z.number().int(), errorKind: z.string().nullable(), error: z.string().nullable(), attempts: z.number().int() });
const RunDetailSchema = z.object({ run: RunSchema, failures: z.array(FailureSchema) }).openapi('TaggingRunDetail');
const EvidenceSchema = z.object({ quote: z.string(), verified: z.boolean(), start: z.number().int().nullable(), end: z.number().int().nullable() });
const SuggestionSchema = z
  .object({
    id: z.number().int(),
    itemId: z.number().int(),
    runId: z.number().int().nullable(),
    codebookId: z.number().int(),
    label: z.string(),
    stance: z.number().int(),
    themes: z.array(z.string()),
    confidence: z.number().nullable(),
    rationale: z.string().nullable(),
    evidence: z.array(EvidenceSchema),
    substantive: z.boolean(),
    provider: z.string(),
    /** How the UI names the provider: "local baseline" is never an LLM. */
    providerLabel: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    promptHash: z.string(),
    codebookVersion: z.string(),
    codebookHash: z.string(),
    params: z.unknown(),
    outletMasked: z.boolean(),
    sampleIndex: z.number().int(),
    tokensIn: z.number().int().nullable(),
    tokensOut: z.number().int().nullable(),
    costUsd: z.number().nullable(),
    latencyMs: z.number().int().nullable(),
    requestId: z.string().nullable(),
    rawResponse: z.string().nullable(),
    cacheKey: z.string(),
    createdAt: z.string(),
  })
  .openapi('Suggestion');

const actorName = (c: { get: (k: 'actor') => { name: string } | null }) => c.get('actor')?.name ?? 'web';
const withLive = <T extends { id: number }>(run: T) => ({ ...run, live: isRunActive(run.id) });

/** Routes for codebooks, prompt versions, tagging runs (with live progress) and an item's suggestions. */
export function taggingRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/codebooks', summary: 'Every stored codebook version; the active one is used for new runs', responses: { 200: json(z.object({ codebooks: z.array(CodebookSchema) }), 'Codebooks') } }),
      (c) => c.json({ codebooks: listCodebooks(deps.db) as z.infer<typeof CodebookSchema>[] }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/codebooks',
        summary: 'Store a codebook version from its JSON (same name and version with other content is refused)',
        request: {
          query: z.object({ activate: z.enum(['true', 'false']).optional() }),
          body: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('CodebookFile') } }, required: true },
        },
        responses: { 201: json(CodebookSchema, 'Stored'), ...errorResponses },
      }),
      (c) => {
        const row = addCodebook(deps.db, JSON.stringify(c.req.valid('json')), { activate: c.req.valid('query').activate === 'true', actor: actorName(c) });
        return c.json(row as z.infer<typeof CodebookSchema>, 201);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/codebooks/{id}/activate', summary: 'Make a stored codebook the active one', request: { params: IdParams }, responses: { 200: json(CodebookSchema, 'Activated'), ...errorResponses } }),
      (c) => c.json(activateCodebook(deps.db, c.req.valid('param').id, actorName(c)) as z.infer<typeof CodebookSchema>, 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/prompts', summary: 'Prompt template versions on disk (immutable once used)', responses: { 200: json(z.object({ prompts: z.array(PromptSchema) }), 'Prompt versions') } }),
      (c) => c.json({ prompts: listPromptTemplates() }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/tagging/estimate',
        summary: 'How many items a run would ask about and what it would cost',
        request: { body: { content: { 'application/json': { schema: RunRequest } }, required: true } },
        responses: { 200: json(EstimateSchema, 'Estimate'), ...errorResponses },
      }),
      (c) => c.json(estimateRun(deps, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/tagging/runs',
        summary: 'Create a tagging run and start it in the server',
        request: { body: { content: { 'application/json': { schema: RunRequest } }, required: true } },
        responses: { 201: json(RunSchema, 'Started'), ...errorResponses },
      }),
      (c) => {
        const run = createRun(deps, c.req.valid('json'), actorName(c));
        return c.json({ ...startRunInBackground(deps, run.id), live: true }, 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/tagging/runs', summary: 'Tagging runs, newest first', responses: { 200: json(z.object({ runs: z.array(RunSchema) }), 'Runs') } }),
      (c) => c.json({ runs: listRuns(deps.db).map(withLive) }, 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/tagging/runs/{id}', summary: 'One run with its failed items and their reasons', request: { params: IdParams }, responses: { 200: json(RunDetailSchema, 'Run'), ...errorResponses } }),
      (c) => {
        const { id } = c.req.valid('param');
        return c.json({ run: withLive(getRun(deps.db, id)), failures: runFailures(deps.db, id) }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/tagging/runs/{id}/cancel', summary: 'Cancel a run; items in flight stay pending for a resume', request: { params: IdParams }, responses: { 200: json(RunSchema, 'Cancelling'), ...errorResponses } }),
      (c) => c.json(withLive(cancelRun(deps, c.req.valid('param').id, actorName(c))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/tagging/runs/{id}/resume',
        summary: 'Resume a cancelled, budget-stopped or killed run with its pending items',
        request: { params: IdParams, body: { content: { 'application/json': { schema: z.object({ budgetUsd: z.number().positive().optional() }) } }, required: false } },
        responses: { 200: json(RunSchema, 'Resumed'), ...errorResponses, 409: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'Already running or completed') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const raw = c.req.header('content-type')?.includes('application/json') ? await c.req.json().catch(() => null) : {};
        const body = z.object({ budgetUsd: z.number().positive().optional() }).safeParse(raw ?? {});
        if (!body.success) throw badRequest(`budgetUsd: ${body.error.issues[0]!.message}`, 'invalid_input');
        return c.json({ ...(await resumeRunInBackground(deps, id, body.data.budgetUsd)), live: true }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/tagging/runs/{id}/events',
        summary: 'Live progress of a run as server-sent events (`progress` events, then `end`)',
        request: { params: IdParams },
        responses: { 200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses },
      }),
      (c) => {
        const { id } = c.req.valid('param');
        const initial = progressOf(getRun(deps.db, id));
        return streamSSE(c, async (stream) => {
          await stream.writeSSE({ event: 'progress', data: JSON.stringify(initial) });
          if (!isRunActive(id)) {
            await stream.writeSSE({ event: 'end', data: JSON.stringify(initial) });
            return;
          }
          const queue: RunProgress[] = [];
          let wake: (() => void) | null = null;
          const unsubscribe = onRunProgress(id, (p) => {
            queue.push(p);
            wake?.();
          });
          stream.onAbort(() => {
            unsubscribe();
            wake?.();
          });
          while (!stream.aborted && isRunActive(id)) {
            if (queue.length === 0) await new Promise<void>((r) => ((wake = r), setTimeout(r, 1_000)));
            wake = null;
            while (queue.length > 0) await stream.writeSSE({ event: 'progress', data: JSON.stringify(queue.shift()) });
          }
          unsubscribe();
          if (!stream.aborted) await stream.writeSSE({ event: 'end', data: JSON.stringify(progressOf(getRun(deps.db, id))) });
        });
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/items/{id}/suggestions', summary: "Every suggestion of an item with its provenance, newest first", request: { params: IdParams }, responses: { 200: json(z.object({ suggestions: z.array(SuggestionSchema) }), 'Suggestions'), ...errorResponses } }),
      (c) => {
        const rows = itemSuggestions(deps.db, c.req.valid('param').id);
        return c.json({ suggestions: rows.map((s) => ({ ...s, providerLabel: s.provider === 'local' ? `local baseline (${s.model})` : s.model })) as z.infer<typeof SuggestionSchema>[] }, 200);
      },
    );
}
