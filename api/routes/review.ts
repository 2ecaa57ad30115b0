import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { requireActor } from '../auth/middleware.ts';
import {
  createUser,
  CSRF_COOKIE,
  identifyLocalReviewer,
  listUsers,
  login,
  logout,
  REVIEWER_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  setPassword,
} from '../auth/service.ts';
import { getActiveCodebook } from '../codebook/codebook.ts';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { adjudicationCases } from '../review/adjudication.ts';
import { agreementReport } from '../review/agreement.ts';
import { addNote, bulkAccept, DecisionSchema, decide, previewBulkAccept, undoReview } from '../review/decisions.ts';
import { itemHistory, itemView } from '../review/item.ts';
import { getProtocol, ReviewProtocolSchema, setProtocol } from '../review/protocol.ts';
import { QUEUE_ORDERS, QueueFilterSchema, queuePage } from '../review/queue.ts';
import { ErrorSchema, errorResponses, newRouter } from './router.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const withErrors = {
  ...errorResponses,
  401: json(ErrorSchema, 'Login (or, on loopback, a reviewer name) required'),
  403: json(ErrorSchema, 'Not allowed (role, CSRF token or cross-site request)'),
};

const ActorSchema = z.object({ id: z.number().int(), name: z.string(), role: z.enum(['admin', 'reviewer']) }).openapi('Reviewer');
const MeSchema = z.object({ actor: ActorSchema.nullable(), loginRequired: z.boolean() }).openapi('Me');
const UserSchema = z
  .object({ id: z.number().int(), name: z.string(), role: z.enum(['admin', 'reviewer', 'import']), active: z.boolean(), hasPassword: z.boolean(), createdAt: z.string() })
  .openapi('User');
const IdParams = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });
const ItemStateSchema = z.record(z.string(), z.unknown()).openapi('ItemState');
const DecisionResultSchema = z.object({ reviewId: z.number().int(), item: ItemStateSchema }).openapi('DecisionResult');
const QueueQuerySchema = QueueFilterSchema.extend({
  order: z.enum(QUEUE_ORDERS).default('confidence'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});
const QueueEntrySchema = z.record(z.string(), z.unknown()).openapi('QueueEntry');
const BulkSchema = z.object({ filter: QueueFilterSchema, threshold: z.number().min(0).max(1) });

function setAuthCookie(c: Context, name: string, value: string, opts: { httpOnly: boolean; maxAgeMs: number; secure: boolean }) {
  setCookie(c, name, value, { path: '/', httpOnly: opts.httpOnly, secure: opts.secure, sameSite: 'Strict', maxAge: Math.floor(opts.maxAgeMs / 1000) });
}

/** Routes for issue 4 — review queue, item view, decisions, people, protocol, adjudication, agreement. */
export function reviewRoutes(deps: AppDeps) {
  const { db } = deps;
  const loopback = deps.config.loopbackOnly;
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/auth/me', summary: 'Who is reviewing, and whether login is required', responses: { 200: json(MeSchema, 'The current reviewer') } }),
      (c) => c.json({ actor: c.get('actor'), loginRequired: !loopback }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/me',
        summary: 'Loopback only: choose a reviewer name (created on first use; the first person is the admin)',
        request: body(z.object({ name: z.string().min(1).max(64) })),
        responses: { 200: json(MeSchema, 'The reviewer, remembered in a cookie'), ...withErrors },
      }),
      (c) => {
        if (!loopback) throw badRequest('this server requires a login (POST /api/auth/login)', 'login_required');
        const actor = identifyLocalReviewer(db, c.req.valid('json').name);
        setAuthCookie(c, REVIEWER_COOKIE, actor.name, { httpOnly: true, secure: false, maxAgeMs: 365 * 24 * 3600 * 1000 });
        return c.json({ actor, loginRequired: false }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/login',
        summary: 'Log in (servers beyond loopback): sets an HttpOnly session cookie and a readable CSRF cookie',
        request: body(z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) })),
        responses: { 200: json(MeSchema, 'Logged in'), ...withErrors },
      }),
      async (c) => {
        const { name, password } = c.req.valid('json');
        const result = await login(db, name, password, deps.now());
        setAuthCookie(c, SESSION_COOKIE, result.sessionToken, { httpOnly: true, secure: true, maxAgeMs: SESSION_TTL_MS });
        setAuthCookie(c, CSRF_COOKIE, result.csrfToken, { httpOnly: false, secure: true, maxAgeMs: SESSION_TTL_MS });
        return c.json({ actor: result.actor, loginRequired: !loopback }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/auth/logout', summary: 'End the session (or forget the loopback reviewer name)', responses: { 200: json(MeSchema, 'Logged out'), ...withErrors } }),
      (c) => {
        logout(db, getCookie(c, SESSION_COOKIE));
        for (const name of [SESSION_COOKIE, CSRF_COOKIE, REVIEWER_COOKIE]) deleteCookie(c, name, { path: '/' });
        return c.json({ actor: null, loginRequired: !loopback }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/users', summary: 'Every reviewer and admin (admins only)', responses: { 200: json(z.object({ users: z.array(UserSchema) }), 'Users'), ...withErrors } }),
      (c) => {
        const actor = requireActor(c);
        if (actor.role !== 'admin') return c.json({ users: listUsers(db).filter((u) => u.id === actor.id) }, 200);
        return c.json({ users: listUsers(db) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/users',
        summary: 'An admin creates a reviewer or admin (a password lets them log in beyond loopback)',
        request: body(z.object({ name: z.string().min(1).max(64), role: z.enum(['admin', 'reviewer']).default('reviewer'), password: z.string().min(12).max(1024).optional() })),
        responses: { 201: json(UserSchema, 'Created'), 409: json(ErrorSchema, 'Name taken'), ...withErrors },
      }),
      async (c) => c.json(await createUser(db, requireActor(c), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/users/{id}/password',
        summary: "Set a password (admins for anyone, reviewers for themselves); ends that person's sessions",
        request: { params: IdParams, ...body(z.object({ password: z.string().min(12).max(1024) })) },
        responses: { 200: json(z.object({ ok: z.boolean() }), 'Set'), ...withErrors },
      }),
      async (c) => {
        await setPassword(db, requireActor(c), c.req.valid('param').id, c.req.valid('json').password);
        return c.json({ ok: true }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/review/setup',
        summary: "What the review UI needs once: the active codebook's labels, stance scale and themes, and the review protocol",
        responses: { 200: json(z.object({ codebook: z.record(z.string(), z.unknown()), protocol: ReviewProtocolSchema }).openapi('ReviewSetup'), 'Setup') },
      }),
      (c) => {
        const cb = getActiveCodebook(db);
        const def = cb.definition;
        return c.json(
          {
            codebook: {
              id: cb.id,
              name: def.name,
              version: def.version,
              labels: def.labels.map((l) => ({ id: l.id, name: l.name, definition: l.definition })),
              stance: def.stance,
              themes: def.themes.map((t) => ({ id: t.id, name: t.name })),
            },
            protocol: getProtocol(db),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/review/queue',
        summary: 'One page of the review queue: filters and orderings in SQL, keyset-paged',
        request: { query: QueueQuerySchema },
        responses: { 200: json(z.object({ entries: z.array(QueueEntrySchema), nextCursor: z.string().nullable(), total: z.number().int().nullable() }).openapi('QueuePage'), 'Page'), ...withErrors },
      }),
      (c) => {
        const { order, limit, cursor, ...filter } = c.req.valid('query');
        return c.json(queuePage(db, c.get('actor'), filter, { order, limit, cursor }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/items/{id}',
        summary: 'The item view: text in context, suggestions side by side, visible review history',
        request: { params: IdParams },
        responses: { 200: json(z.record(z.string(), z.unknown()).openapi('ItemView'), 'Item view'), ...withErrors },
      }),
      (c) => c.json(itemView(db, c.req.valid('param').id, c.get('actor')) as unknown as Record<string, unknown>, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/items/{id}/history',
        summary: "An item's audit history: who did what, when, what changed and what they saw",
        request: { params: IdParams },
        responses: { 200: json(z.object({ entries: z.array(z.record(z.string(), z.unknown())) }).openapi('ItemHistory'), 'History'), ...withErrors },
      }),
      (c) => c.json({ entries: itemHistory(db, c.req.valid('param').id, c.get('actor')) as unknown as Record<string, unknown>[] }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/items/{id}/reviews',
        summary: 'Record a decision (accept, edit, reject, skip, exclude, include, adjudicate); a stale colliding view gets 409',
        request: { params: IdParams, ...body(DecisionSchema) },
        responses: { 201: json(DecisionResultSchema, 'Saved'), 409: json(ErrorSchema, 'Stale view: details.current is the current state'), ...withErrors },
      }),
      (c) => c.json(decide(db, requireActor(c), c.req.valid('param').id, c.req.valid('json'), deps.now()) as unknown as z.infer<typeof DecisionResultSchema>, 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/items/{id}/notes',
        summary: "Add a note to an item's history without deciding",
        request: { params: IdParams, ...body(z.object({ note: z.string().min(1).max(2000) })) },
        responses: { 201: json(z.object({ ok: z.boolean() }), 'Noted'), ...withErrors },
      }),
      (c) => {
        addNote(db, requireActor(c), c.req.valid('param').id, c.req.valid('json').note, deps.now());
        return c.json({ ok: true }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/review/undo',
        summary: "Undo a review (default: the caller's latest standing one) by recording an undo review",
        request: body(z.object({ reviewId: z.number().int().positive().optional() })),
        responses: { 201: json(DecisionResultSchema.extend({ undoneReviewId: z.number().int() }), 'Undone'), 409: json(ErrorSchema, 'Already undone'), ...withErrors },
      }),
      (c) => c.json(undoReview(db, requireActor(c), c.req.valid('json').reviewId, deps.now()) as never, 201),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/review/bulk/preview',
        summary: 'How many and which unreviewed items in the filter a bulk accept at this confidence threshold would accept',
        request: body(BulkSchema),
        responses: { 200: json(z.object({ count: z.number().int(), threshold: z.number(), items: z.array(z.record(z.string(), z.unknown())) }).openapi('BulkPreview'), 'Preview'), ...withErrors },
      }),
      (c) => {
        const { filter, threshold } = c.req.valid('json');
        return c.json(previewBulkAccept(db, requireActor(c), filter, threshold) as never, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/review/bulk/accept',
        summary: 'Accept the previewed suggestions as bulk reviews; refused with 409 if the selection no longer has the confirmed count',
        request: body(BulkSchema.extend({ expectedCount: z.number().int().min(0), queueOrder: z.enum(QUEUE_ORDERS).nullish() })),
        responses: { 201: json(z.object({ accepted: z.number().int() }), 'Accepted'), 409: json(ErrorSchema, 'Selection changed'), ...withErrors },
      }),
      (c) => {
        const { filter, threshold, expectedCount, queueOrder } = c.req.valid('json');
        return c.json(bulkAccept(db, requireActor(c), filter, threshold, expectedCount, deps.now(), queueOrder ?? null), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/review/settings', summary: 'The review protocol: overlap and blind mode', responses: { 200: json(ReviewProtocolSchema.openapi('ReviewProtocol'), 'Protocol') } }),
      (c) => c.json(getProtocol(db), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/review/settings',
        summary: 'Set the review protocol (admins only)',
        request: body(ReviewProtocolSchema),
        responses: { 200: json(ReviewProtocolSchema, 'Stored'), ...withErrors },
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
        path: '/review/adjudication',
        summary: 'Disagreements awaiting an admin: between reviewers, or between a reviewer and the model',
        request: { query: z.object({ kind: z.enum(['reviewers', 'model']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
        responses: { 200: json(z.object({ cases: z.array(z.record(z.string(), z.unknown())) }).openapi('AdjudicationCases'), 'Cases'), ...withErrors },
      }),
      (c) => {
        const { kind, limit } = c.req.valid('query');
        return c.json({ cases: adjudicationCases(db, requireActor(c), { kind, limit }) as unknown as Record<string, unknown>[] }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/review/agreement',
        summary: "Agreement per label and reviewer pair (percent, Cohen's kappa, Fleiss' kappa, Krippendorff's alpha, bootstrap 95% CIs); human-human and model-human apart",
        responses: { 200: json(z.record(z.string(), z.unknown()).openapi('AgreementReport'), 'Agreement') },
      }),
      (c) => c.json(agreementReport(db) as unknown as Record<string, unknown>, 200),
    );
}
