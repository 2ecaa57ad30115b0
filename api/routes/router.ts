import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { badRequest, ERROR_CODES, zodIssueText } from '../errors.ts';
import { ItemStateSchema } from '../review/item.ts';

/** Body of every error response: a code from the closed ErrorCode union, a sentence, and sometimes what the client needs to recover. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z
        .object({
          /** stale_view, stale_suggestion: the item as it is now. */
          current: ItemStateSchema.optional(),
          conflictingReviewIds: z.array(z.number().int()).optional(),
          /** bulk_changed: how many items match now. */
          count: z.number().int().optional(),
        })
        .optional(),
    }),
  })
  .openapi('Error');

/** The answer of an action that has nothing else to report. */
export const OkSchema = z.object({ ok: z.boolean() }).openapi('Ok');

/** A JSON response with its schema. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

/** `{id}` in a path: a positive integer. */
export const IdParams = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });

/** The error responses any API route can give: bad input, no login (beyond loopback), not allowed, not found. */
export const errorResponses = {
  400: json(ErrorSchema, 'Invalid input'),
  401: json(ErrorSchema, 'Login (or, on loopback, a reviewer name) required'),
  403: json(ErrorSchema, 'Not allowed (role, CSRF token or cross-site request)'),
  404: json(ErrorSchema, 'Not found'),
} as const;

/** A 409 response, described for the route. */
export const conflictResponse = (description: string) => ({ 409: json(ErrorSchema, description) }) as const;

/** Who to name in the audit log for a request: the reviewer, or `fallback` before one is known. */
export const actorName = (c: Context, fallback: string): string => c.get('actor')?.name ?? fallback;

/** The unknown query parameters a failed validation names, if that is what failed. */
function unknownParameters(error: z.ZodError, target: string | undefined): string[] | null {
  const issue = error.issues[0];
  return target === 'query' && issue?.code === 'unrecognized_keys' ? issue.keys : null;
}

/** No query parameter: what a route without a query schema accepts. */
const NO_QUERY = z.object({});

/**
 * A sub-app for one resource. Every route's query is validated strictly: a parameter the route
 * does not declare is a 400 naming it (a misspelt filter must not silently show everything), on
 * routes with no query parameters too. Validation failures answer 400 in the common error shape,
 * naming the first offending field.
 */
export function newRouter() {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw badRequest(zodIssueText(result.error), 'invalid_input');
    },
  });
  const register = app.openapi;
  app.openapi = ((route, handler, hook) => {
    const query = route.request?.query ?? NO_QUERY;
    if (!(query instanceof z.ZodObject)) return register(route, handler, hook);
    const known = Object.keys(query.shape);
    const strict: typeof route = { ...route, request: { ...route.request, query: query.strict() } };
    const strictHook: typeof hook = (result, c) => {
      const unknown = result.success ? null : unknownParameters(result.error, (result as { target?: string }).target);
      if (unknown) {
        const names = unknown.map((k) => `"${k}"`).join(', ');
        throw badRequest(`unknown query parameter${unknown.length > 1 ? 's' : ''} ${names}: this route takes ${known.length > 0 ? known.join(', ') : 'none'}`, 'invalid_input');
      }
      if (hook) return hook(result, c);
      if (!result.success) throw badRequest(zodIssueText(result.error), 'invalid_input');
    };
    return register(strict, handler, strictHook);
  }) as typeof app.openapi;
  return app;
}
