import { createRoute, z } from '@hono/zod-openapi';
import { requireActor } from '../auth/middleware.ts';
import { inTurn, type AppDeps } from '../deps.ts';
import { AdjudicationCasesSchema, adjudicationCases } from '../review/adjudication.ts';
import { agreementReport, AgreementReportSchema } from '../review/agreement.ts';
import { BulkAcceptedSchema, bulkAccept, BulkPreviewSchema, previewBulkAccept } from '../review/bulk.ts';
import { undoReview, UndoResultSchema } from '../review/decisions.ts';
import { getProtocol, ReviewProtocolSchema, setProtocol } from '../review/protocol.ts';
import { QUEUE_ORDERS } from '../review/queue-params.ts';
import { QueueFilterSchema, QueuePageSchema, QueueQuerySchema, queuePage } from '../review/queue.ts';
import { reviewSetup, ReviewSetupSchema } from '../review/setup.ts';
import { conflictResponse, errorResponses, json, jsonBody, newRouter } from './router.ts';

const BulkSchema = z.object({ filter: QueueFilterSchema.strict(), threshold: z.number().min(0).max(1) });

/** `/api/review`: the queue, undo, bulk accept, the protocol, adjudication and agreement. */
export function reviewRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/setup',
        summary: "What the review UI needs once: the active codebook's labels, stance scale and themes, and the review protocol",
        responses: { 200: json(ReviewSetupSchema, 'Setup'), ...errorResponses },
      }),
      (c) => c.json(reviewSetup(db), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/queue',
        summary: 'One page of the review queue: filters and orderings in SQL, keyset-paged',
        request: { query: QueueQuerySchema },
        responses: { 200: json(QueuePageSchema, 'Page'), ...errorResponses },
      }),
      (c) => {
        const { order, limit, cursor, ...filter } = c.req.valid('query');
        return c.json(queuePage(db, c.get('actor'), filter, { order, limit, cursor }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/undo',
        summary: "Undo a review (default: the caller's latest standing one) by recording an undo review",
        request: jsonBody(z.object({ reviewId: z.number().int().positive().optional() })),
        responses: { 201: json(UndoResultSchema, 'Undone'), ...errorResponses, ...conflictResponse('Already undone') },
      }),
      async (c) => {
        const actor = requireActor(c);
        const { reviewId } = c.req.valid('json');
        return c.json(await inTurn(deps, () => undoReview(db, actor, reviewId, deps.now())), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/bulk/preview',
        summary: 'How many and which unreviewed items in the filter a bulk accept at this confidence threshold would accept',
        request: jsonBody(BulkSchema),
        responses: { 200: json(BulkPreviewSchema, 'Preview'), ...errorResponses },
      }),
      (c) => {
        const { filter, threshold } = c.req.valid('json');
        return c.json(previewBulkAccept(db, requireActor(c), filter, threshold), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/bulk/accept',
        summary: 'Accept the previewed suggestions as bulk reviews (at most 10,000 items, 400 beyond); refused with 409 if the selection no longer has the confirmed count',
        request: jsonBody(BulkSchema.extend({ expectedCount: z.number().int().min(0), queueOrder: z.enum(QUEUE_ORDERS).nullish() })),
        responses: { 201: json(BulkAcceptedSchema, 'Accepted'), ...errorResponses, ...conflictResponse('Selection changed: details.count is how many match now') },
      }),
      async (c) => {
        const { filter, threshold, expectedCount, queueOrder } = c.req.valid('json');
        return c.json(await bulkAccept(db, requireActor(c), filter, threshold, expectedCount, deps.now(), queueOrder ?? null), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/settings', summary: 'The review protocol: overlap and blind mode', responses: { 200: json(ReviewProtocolSchema, 'Protocol'), ...errorResponses } }),
      (c) => c.json(getProtocol(db), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/settings',
        summary: 'Set the review protocol (admins only)',
        request: jsonBody(ReviewProtocolSchema),
        responses: { 200: json(ReviewProtocolSchema, 'Stored'), ...errorResponses },
      }),
      (c) => {
        const actor = requireActor(c);
        const input = c.req.valid('json');
        return c.json(db.transaction((tx) => setProtocol(tx, actor, input)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/adjudication',
        summary: 'Disagreements awaiting an admin: between reviewers, or between a reviewer and the model',
        request: { query: z.object({ kind: z.enum(['reviewers', 'model']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
        responses: { 200: json(AdjudicationCasesSchema, 'Cases'), ...errorResponses },
      }),
      (c) => {
        const { kind, limit } = c.req.valid('query');
        return c.json({ cases: adjudicationCases(db, requireActor(c), { kind, limit }) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/agreement',
        summary: "Agreement per label and reviewer pair (percent, Cohen's kappa, Fleiss' kappa, Krippendorff's alpha, bootstrap 95% CIs); human-human and model-human apart, independent decisions only",
        request: { query: z.object({ level: z.enum(['passage', 'document']).default('passage') }) },
        responses: { 200: json(AgreementReportSchema, 'Agreement'), ...errorResponses },
      }),
      (c) => c.json(agreementReport(db, c.req.valid('query').level), 200),
    );
}
