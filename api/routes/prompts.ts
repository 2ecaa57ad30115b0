import { createRoute, z } from '@hono/zod-openapi';
import { listPromptTemplates, PromptTemplateSchema } from '../tagging/prompts.ts';
import { errorResponses, json, newRouter } from './router.ts';

/** `GET /api/prompts`: the prompt template versions on disk. */
export function promptsRoutes() {
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Prompt template versions on disk (immutable once used)',
      responses: { 200: json(z.object({ prompts: z.array(PromptTemplateSchema) }).openapi('PromptVersionList'), 'Prompt versions'), ...errorResponses },
    }),
    (c) => c.json({ prompts: listPromptTemplates() }, 200),
  );
}
