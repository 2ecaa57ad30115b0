import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The API route a request will be answered by (method and Hono pattern, e.g.
 * `PATCH /api/sources/:id`), or null when none matches. Middleware (`use`) rows are ALL; the
 * SPA fallback `GET *` also matches API paths but never answers them.
 */
export function matchedRoute(c: Context): { method: string; path: string; key: string } | null {
  const route = matchedRoutes(c).find((r) => r.method !== 'ALL' && r.path.startsWith('/api/'));
  return route ? { method: route.method, path: route.path, key: `${route.method} ${route.path}` } : null;
}
