import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';

/** Body of every error response. */
export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

/** Standard error responses to spread into a route's `responses`. */
export const errorResponses = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

/**
 * A sub-app for one resource. Validation failures answer 400 in the common error shape,
 * naming the first offending field.
 */
export function newRouter() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        return c.json({ error: { code: 'invalid_input', message: `${where}${issue?.message ?? 'invalid input'}` } }, 400);
      }
    },
  });
}
