import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, badRequest } from '../errors.ts';
import { stripJsonNul } from '../json.ts';
import { matchedRoute } from './route.ts';

/** Largest JSON (or other non-upload) request body: 1 MiB, far above any real request. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Deepest nesting of arrays and objects a JSON body may have; real requests use fewer than 6 levels. */
export const MAX_JSON_DEPTH = 32;
/** Routes whose bodies are file uploads, with their own, larger limit (they check it themselves). */
const UPLOAD_ROUTES = new Set(['POST /api/imports', 'POST /api/imports/preview', 'POST /api/sources/import']);

/**
 * The deepest nesting of `[` and `{` in a JSON text, counted in one linear pass that skips
 * strings, so a 50,000-deep body is refused before any recursive parser or validator sees it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

const limit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () => {
    throw new AppError('payload_too_large', `request body is over the ${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB limit`);
  },
});

/**
 * Bounds every API request body: at most 1 MiB (uploads have their own limit), and a JSON body
 * at most 32 levels deep and without NUL characters (stripJsonNul: the stripped text replaces
 * the body hono cached, which every later `c.req.json()`/`text()` and validator reads). Runs
 * before routing validators, so no handler sees an unbounded body or a NUL.
 */
export function bodyGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (!c.req.raw.body) return next();
    const route = matchedRoute(c);
    if (route && UPLOAD_ROUTES.has(route.key)) return next();
    return limit(c, async () => {
      if (/^application\/(.+\+)?json/i.test(c.req.header('content-type') ?? '')) {
        const text = await c.req.text();
        const depth = jsonDepth(text);
        if (depth > MAX_JSON_DEPTH) throw badRequest(`request body is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`, 'too_deep');
        const stripped = stripJsonNul(text);
        // c.req.text() cached the body under `text` alone; json() and the validators read it from
        // there. The cache holds promises, though hono's type names the resolved values.
        if (stripped !== text) c.req.bodyCache = { text: Promise.resolve(stripped) } as unknown as typeof c.req.bodyCache;
      }
      await next();
    });
  };
}
