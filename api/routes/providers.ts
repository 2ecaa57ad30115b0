import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { testConnection } from '../providers/profiles/connection.ts';
import { ConnectionTestSchema, ProfileInputSchema, ProfileListSchema, ProfilePatchSchema, ProfileViewSchema } from '../providers/profiles/schemas.ts';
import { createProfile, deleteProfile, getProfile, listProfiles, profileView, updateProfile } from '../providers/profiles/service.ts';
import { actorName, conflictResponse, errorResponses, IdParams, json, jsonBody, newRouter, OkSchema } from './router.ts';

/** `/api/providers`: provider profiles (admin only). Keys go in, never come out: a view shows only the last four characters. */
export function providersRoutes(deps: AppDeps) {
  const { db } = deps;
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/profiles', summary: 'Provider profiles, the presets, and whether the environment configures the default provider', responses: { 200: json(ProfileListSchema, 'Profiles'), ...errorResponses } }),
      (c) => c.json(listProfiles(db, deps.config), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/profiles',
        summary: 'Add a provider profile (the key is stored in a 0600 file beside the database, not in it)',
        request: jsonBody(ProfileInputSchema),
        responses: { 201: json(ProfileViewSchema, 'Stored'), ...errorResponses, ...conflictResponse('Name taken') },
      }),
      (c) => c.json(createProfile(db, c.req.valid('json'), actorName(c, 'local'), deps.now()), 201),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/profiles/{id}',
        summary: 'Change a profile; apiKey replaces the key, null removes it, absent keeps it; the next run uses the change',
        request: { params: IdParams, ...jsonBody(ProfilePatchSchema) },
        responses: { 200: json(ProfileViewSchema, 'Updated'), ...errorResponses, ...conflictResponse('Name taken') },
      }),
      (c) => c.json(updateProfile(db, c.req.valid('param').id, c.req.valid('json'), actorName(c, 'local'), deps.now()), 200),
    )
    .openapi(
      createRoute({ method: 'delete', path: '/profiles/{id}', summary: 'Delete a profile and its key', request: { params: IdParams }, responses: { 200: json(OkSchema, 'Deleted'), ...errorResponses } }),
      (c) => {
        deleteProfile(db, c.req.valid('param').id, actorName(c, 'local'));
        return c.json({ ok: true }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/profiles/{id}/test',
        summary: "Test connection: list the server's models, send one labelled probe, report latency and whether JSON-schema output works (else JSON mode); remembered on the profile",
        request: { params: IdParams },
        responses: { 200: json(ProfileViewSchema.extend({ test: ConnectionTestSchema }), 'Tested'), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const test = await testConnection(db, id, deps.now);
        return c.json({ ...profileView(db, getProfile(db, id)), test }, 200);
      },
    );
}
