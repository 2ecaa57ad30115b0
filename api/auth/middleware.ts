import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import type { AppDeps } from '../deps.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { decoyHash } from './passwords.ts';
import { ruleFor, type RouteRule } from './roles.ts';
import { bootstrapAdmin, localReviewerByName, REVIEWER_COOKIE, SESSION_COOKIE, sessionFor, type Actor } from './service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The person behind the request; null on loopback before a reviewer name is chosen. */
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The route a request will be answered by (method and pattern), or null when none matches. */
function matchedRoute(c: Context): { method: string; path: string } | null {
  // Middleware (`use`) rows are ALL; the SPA fallback `GET *` also matches API paths but never answers them.
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL' && r.path.startsWith('/api/'));
  return route ? { method: route.method, path: route.path } : null;
}

/**
 * Identifies the person behind each /api request and applies the role table (api/auth/roles.ts)
 * to the route it matched: the one place authorisation is decided. On loopback a `fs_reviewer`
 * cookie names the reviewer (no password); beyond loopback every route that is not public
 * needs a live session, and every write must echo the session's CSRF token as `x-csrf-token`
 * (the web client copies it from the readable `fs_csrf` cookie). In both modes a write whose
 * Origin is another site is refused, so a page elsewhere cannot drive the server through a
 * reviewer's browser.
 */
export function authMiddleware(deps: AppDeps): MiddlewareHandler {
  // Beyond loopback the decoy hash for unknown login names is made up front, so even the first such login costs what the others do.
  const ready = deps.config.loopbackOnly ? Promise.resolve() : Promise.all([deps.readOnlyReason ? null : bootstrapAdmin(deps.db, deps.config.adminPassword), decoyHash()]);
  const loopback = deps.config.loopbackOnly;
  return async (c, next) => {
    await ready;
    const write = !SAFE_METHODS.has(c.req.method);
    if (write && crossOrigin(c)) throw forbidden('cross-site request refused', 'cross_origin');
    const route = matchedRoute(c);
    // An unknown path is a 404 from notFound; beyond loopback only after a session, so paths cannot be probed.
    const rule: RouteRule | null = route ? ruleFor(route.method, route.path) : { access: 'read' };
    if (!rule) throw forbidden(`${route!.method} ${route!.path} has no entry in the role table`, 'no_role_rule');
    if (loopback) {
      const actor = localReviewerByName(deps.db, getCookie(c, REVIEWER_COOKIE));
      c.set('actor', actor);
      checkAccess(rule, actor, true);
      return next();
    }
    const session = sessionFor(deps.db, getCookie(c, SESSION_COOKIE), deps.now());
    c.set('actor', session?.actor ?? null);
    if (rule.access === 'public') return next();
    if (!session) throw unauthorized('login required');
    if (write && c.req.header('x-csrf-token') !== session.csrfToken) throw forbidden('missing or wrong CSRF token (x-csrf-token)', 'csrf');
    checkAccess(rule, session.actor, false);
    return next();
  };
}

/** Refuses a request the role table does not allow this actor (null: nobody named, on loopback). */
function checkAccess(rule: RouteRule, actor: Actor | null, loopback: boolean): void {
  if (rule.access === 'public' || rule.access === 'read') return;
  if (rule.access === 'review') {
    if (!actor) throw unauthorized('choose a reviewer name first (POST /api/auth/me) or log in', 'no_reviewer');
    return;
  }
  if (actor === null && loopback && rule.operator) return; // the machine's operator, as on the CLI
  if (!actor) throw loopback ? unauthorized('choose a reviewer name first (POST /api/auth/me): this is recorded against the admin', 'no_reviewer') : unauthorized('login required');
  if (actor.role !== 'admin') throw forbidden(`only an admin can do this; ${actor.name} is a reviewer`, 'admin_only');
}

function crossOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host !== (c.req.header('host') ?? new URL(c.req.url).host);
  } catch {
    return true;
  }
}

/** The person behind a request, or a 401 telling the client how to become one. */
export function requireActor(c: Context): Actor {
  const actor = c.get('actor');
  if (!actor) throw unauthorized('choose a reviewer name first (POST /api/auth/me) or log in', 'no_reviewer');
  return actor;
}
