import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppDeps } from '../deps.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { bootstrapAdmin, localReviewerByName, REVIEWER_COOKIE, SESSION_COOKIE, sessionFor, type Actor } from './service.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The person behind the request; null on loopback before a reviewer name is chosen. */
    actor: Actor | null;
  }
}

/** Reachable without a session beyond loopback: liveness, the API description, and the way in. */
const PUBLIC = new Set(['GET /api/health', 'GET /api/openapi.json', 'POST /api/auth/login', 'GET /api/auth/me']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identifies the person behind each /api request. On loopback the single-machine setup needs
 * no login: a `fs_reviewer` cookie names the reviewer. Beyond loopback every route except
 * health, openapi and login needs a live session, and every write must echo the session's
 * CSRF token as `x-csrf-token` (the web client copies it from the readable `fs_csrf` cookie).
 * In both modes a write whose Origin is another site is refused, so a page elsewhere cannot
 * drive a local server through the reviewer's browser.
 */
export function authMiddleware(deps: AppDeps): MiddlewareHandler {
  const ready = deps.config.loopbackOnly ? Promise.resolve() : bootstrapAdmin(deps.db, deps.config.adminPassword);
  return async (c, next) => {
    await ready;
    const write = !SAFE_METHODS.has(c.req.method);
    if (write && crossOrigin(c)) throw forbidden('cross-site request refused', 'cross_origin');
    if (deps.config.loopbackOnly) {
      c.set('actor', localReviewerByName(deps.db, getCookie(c, REVIEWER_COOKIE)));
      return next();
    }
    const session = sessionFor(deps.db, getCookie(c, SESSION_COOKIE), deps.now());
    c.set('actor', session?.actor ?? null);
    if (PUBLIC.has(`${c.req.method} ${c.req.path}`)) return next();
    if (!session) throw unauthorized('login required');
    if (write && c.req.header('x-csrf-token') !== session.csrfToken) throw forbidden('missing or wrong CSRF token (x-csrf-token)', 'csrf');
    return next();
  };
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
