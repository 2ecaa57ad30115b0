import { createRoute, z } from '@hono/zod-openapi';
import { requireActor } from '../auth/middleware.ts';
import { createUser, listUsers, PublicUserSchema, setPassword } from '../auth/service.ts';
import type { AppDeps } from '../deps.ts';
import { conflictResponse, errorResponses, IdParams, json, jsonBody, newRouter, OkSchema } from './router.ts';

/** `/api/users`: reviewers and admins, and their passwords. */
export function usersRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Every reviewer and admin (admins only; a reviewer sees themselves)',
        responses: { 200: json(z.object({ users: z.array(PublicUserSchema) }).openapi('UserList'), 'Users'), ...errorResponses },
      }),
      (c) => {
        const actor = requireActor(c);
        if (actor.role !== 'admin') return c.json({ users: listUsers(db).filter((u) => u.id === actor.id) }, 200);
        return c.json({ users: listUsers(db) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'An admin creates a reviewer or admin (a password lets them log in beyond loopback)',
        request: jsonBody(z.object({ name: z.string().min(1).max(64), role: z.enum(['admin', 'reviewer']).default('reviewer'), password: z.string().min(12).max(1024).optional() })),
        responses: { 201: json(PublicUserSchema, 'Created'), ...errorResponses, ...conflictResponse('Name taken') },
      }),
      async (c) => c.json(await createUser(db, requireActor(c), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/password',
        summary: "Set a password (admins for anyone, reviewers for themselves); ends that person's sessions",
        request: { params: IdParams, ...jsonBody(z.object({ password: z.string().min(12).max(1024) })) },
        responses: { 200: json(OkSchema, 'Set'), ...errorResponses },
      }),
      async (c) => {
        await setPassword(db, requireActor(c), c.req.valid('param').id, c.req.valid('json').password);
        return c.json({ ok: true }, 200);
      },
    );
}
