import { createRoute, z } from '@hono/zod-openapi';
import { CodebookDefinitionSchema } from '../codebooks/definition.ts';
import { activateCodebook, addCodebook, CodebookListSchema, listCodebooks, StoredCodebookSchema } from '../codebooks/service.ts';
import type { AppDeps } from '../deps.ts';
import { badRequest, zodIssueText } from '../errors.ts';
import { actorName, errorResponses, IdParams, json, jsonBody, newRouter } from './router.ts';

/** `/api/codebooks`: stored codebook versions and which one is active. */
export function codebooksRoutes(deps: AppDeps) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Every stored codebook version; the active one is used for new runs',
        responses: { 200: json(CodebookListSchema, 'Codebooks'), ...errorResponses },
      }),
      (c) => c.json({ codebooks: listCodebooks(deps.db) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Store a codebook version from its JSON (same name and version with other content is refused)',
        request: { query: z.object({ activate: z.enum(['true', 'false']).optional() }), ...jsonBody(CodebookDefinitionSchema) },
        responses: { 201: json(StoredCodebookSchema, 'Stored'), ...errorResponses },
      }),
      (c) => c.json(addCodebook(deps.db, c.req.valid('json'), { activate: c.req.valid('query').activate === 'true', actor: actorName(c, 'web') }), 201),
      // A codebook file's problems are named as the CLI names them (`codebook: labels: ...`).
      (result) => {
        if (!result.success && result.target === 'json') throw badRequest(`codebook: ${zodIssueText(result.error, { root: 'codebook' })}`, 'invalid_codebook');
        if (!result.success) throw badRequest(zodIssueText(result.error), 'invalid_input');
        return undefined;
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/activate',
        summary: 'Make a stored codebook the active one',
        request: { params: IdParams },
        responses: { 200: json(StoredCodebookSchema, 'Activated'), ...errorResponses },
      }),
      (c) => c.json(activateCodebook(deps.db, c.req.valid('param').id, actorName(c, 'web')), 200),
    );
}
