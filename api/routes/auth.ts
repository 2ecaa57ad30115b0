import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CSRF_COOKIE, identifyLocalReviewer, login, logout, MeSchema, REVIEWER_COOKIE, SESSION_COOKIE, SESSION_TTL_MS } from '../auth/service.ts';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { errorResponses, json, jsonBody, newRouter } from './router.ts';

function setAuthCookie(c: Context, name: string, value: string, opts: { httpOnly: boolean; maxAgeMs: number; secure: boolean }) {
  setCookie(c, name, value, { path: '/', httpOnly: opts.httpOnly, secure: opts.secure, sameSite: 'Strict', maxAge: Math.floor(opts.maxAgeMs / 1000) });
}

/** `/api/auth`: who is reviewing, the loopback reviewer name, login and logout. */
export function authRoutes(deps: AppDeps) {
  const { db } = deps;
  const loopback = deps.config.loopbackOnly;
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/me', summary: 'Who is reviewing, and whether login is required', responses: { 200: json(MeSchema, 'The current reviewer'), ...errorResponses } }),
      (c) => c.json({ actor: c.get('actor'), loginRequired: !loopback }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/me',
        summary: 'Loopback only: choose a reviewer name (created on first use; the first person is the admin)',
        request: jsonBody(z.object({ name: z.string().min(1).max(64) })),
        responses: { 200: json(MeSchema, 'The reviewer, remembered in a cookie'), ...errorResponses },
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
        path: '/login',
        summary: 'Log in (servers beyond loopback): sets an HttpOnly session cookie and a readable CSRF cookie',
        request: jsonBody(z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) })),
        responses: { 200: json(MeSchema, 'Logged in'), ...errorResponses },
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
      createRoute({ method: 'post', path: '/logout', summary: 'End the session (or forget the loopback reviewer name)', responses: { 200: json(MeSchema, 'Logged out'), ...errorResponses } }),
      (c) => {
        logout(db, getCookie(c, SESSION_COOKIE));
        for (const name of [SESSION_COOKIE, CSRF_COOKIE, REVIEWER_COOKIE]) deleteCookie(c, name, { path: '/' });
        return c.json({ actor: null, loginRequired: !loopback }, 200);
      },
    );
}
