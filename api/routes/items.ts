import { createRoute, z } from '@hono/zod-openapi';
import { requireActor } from '../auth/middleware.ts';
import { inTurn, type AppDeps } from '../deps.ts';
import { addNote, DecisionResultSchema, DecisionSchema, decide } from '../review/decisions.ts';
import { itemHistory, ItemHistorySchema } from '../review/history.ts';
import { itemView, ItemViewSchema } from '../review/item.ts';
import { itemSuggestions } from '../tagging/runs.ts';
import { SuggestionListSchema, suggestionView } from '../tagging/schemas.ts';
import { conflictResponse, errorResponses, IdParams, json, jsonBody, newRouter, OkSchema } from './router.ts';

/** `/api/items/{id}`: the item view, its history, decisions, notes and suggestions. */
export function itemsRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary: "The item view: text in context, suggestions side by side, the visible review history and the viewer's own decision",
        request: {
          params: IdParams,
          query: z.object({
            mode: z.enum(['code', 'adjudicate']).default('code').openapi({
              description: 'code: as one of its coders (blind to the model and to other coders until decided, under the protocol); adjudicate: admins, seeing everything',
            }),
          }),
        },
        responses: { 200: json(ItemViewSchema, 'Item view'), ...errorResponses },
      }),
      (c) => c.json(itemView(db, c.req.valid('param').id, c.get('actor'), c.req.valid('query').mode), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/history',
        summary: "An item's audit history: who did what, when, what changed and what they saw",
        request: { params: IdParams },
        responses: { 200: json(ItemHistorySchema, 'History'), ...errorResponses },
      }),
      (c) => c.json({ entries: itemHistory(db, c.req.valid('param').id, c.get('actor')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/reviews',
        summary: 'Record a decision (accept, edit, reject, skip, exclude, include, adjudicate); a stale colliding view gets 409',
        request: { params: IdParams, ...jsonBody(DecisionSchema) },
        responses: { 201: json(DecisionResultSchema, 'Saved'), ...errorResponses, ...conflictResponse('Stale view: details.current is the current state') },
      }),
      async (c) => {
        const actor = requireActor(c);
        const { id } = c.req.valid('param');
        const decision = c.req.valid('json');
        return c.json(await inTurn(deps, () => decide(db, actor, id, decision, deps.now())), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/notes',
        summary: "Add a note to an item's history without deciding",
        request: { params: IdParams, ...jsonBody(z.object({ note: z.string().min(1).max(2000) })) },
        responses: { 201: json(OkSchema, 'Noted'), ...errorResponses },
      }),
      async (c) => {
        const actor = requireActor(c);
        const { id } = c.req.valid('param');
        const { note } = c.req.valid('json');
        await inTurn(deps, () => addNote(db, actor, id, note, deps.now()));
        return c.json({ ok: true }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/suggestions',
        summary: 'Every suggestion of an item with its provenance, newest first',
        request: { params: IdParams },
        responses: { 200: json(SuggestionListSchema, 'Suggestions'), ...errorResponses },
      }),
      (c) => c.json({ suggestions: itemSuggestions(db, c.req.valid('param').id).map(suggestionView) }, 200),
    );
}
