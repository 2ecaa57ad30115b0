import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { authMiddleware } from './auth/middleware.ts';
import { loginThrottle } from './auth/throttle.ts';
import type { AppDeps } from './deps.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from './errors.ts';
import { bodyGuard } from './guards/body.ts';
import { databaseUnavailable } from './guards/database.ts';
import { loopbackHostGuard } from './guards/host.ts';
import { redactText, secretsOf } from './providers/redact.ts';
import { authRoutes } from './routes/auth.ts';
import { codebooksRoutes } from './routes/codebooks.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { documentsRoutes } from './routes/documents.ts';
import { evalsRoutes } from './routes/evals.ts';
import { exportRoutes } from './routes/export.ts';
import { healthRoutes } from './routes/health.ts';
import { importsRoutes } from './routes/imports.ts';
import { itemsRoutes } from './routes/items.ts';
import { jobsRoutes } from './routes/jobs.ts';
import { promptsRoutes } from './routes/prompts.ts';
import { providersRoutes } from './routes/providers.ts';
import { reviewRoutes } from './routes/review.ts';
import { sourcesRoutes } from './routes/sources.ts';
import { statsRoutes } from './routes/stats.ts';
import { storiesRoutes } from './routes/stories.ts';
import { taggingRoutes } from './routes/tagging.ts';
import { usersRoutes } from './routes/users.ts';

/**
 * Builds the Hono app from its dependencies; never listens (server.ts does). Tests call
 * `createApp(deps).request(...)` against a fresh database.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono();
  const secrets = secretsOf(deps.config.openai.baseURL, deps.config.openai.apiKey);

  app.onError((err, c) => {
    const known = err instanceof AppError ? err : databaseUnavailable(err, deps.readOnlyReason);
    if (known) {
      return c.json({ error: { code: known.code, message: known.message, ...(known.details === undefined ? {} : { details: known.details }) } }, known.status, known.headers);
    }
    // The framework's own refusals (malformed JSON, an unsupported media type) keep their status.
    if (err instanceof HTTPException && err.status < 500) return c.json({ error: { code: 'http_error' satisfies ErrorCode, message: err.message } }, err.status);
    console.error(redactText(err instanceof Error ? (err.stack ?? err.message) : String(err), secrets));
    return c.json({ error: { code: 'internal' satisfies ErrorCode, message: 'internal error' } }, ERROR_STATUS.internal);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found' satisfies ErrorCode, message: `no route for ${c.req.method} ${c.req.path}` } }, ERROR_STATUS.not_found));

  if (deps.config.loopbackOnly) app.use('*', loopbackHostGuard());
  // Documents are untrusted: even if markup slipped into a page, no inline or foreign script runs.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use('/api/*', authMiddleware(deps));
  app.use('/api/*', bodyGuard());
  app.post('/api/auth/login', loginThrottle());

  // One router per resource, at its prefix; the chain's type is AppType, the web client's contract.
  const api = app
    .route('/api/health', healthRoutes(deps))
    .route('/api/stats', statsRoutes(deps))
    .route('/api/auth', authRoutes(deps))
    .route('/api/users', usersRoutes(deps))
    .route('/api/sources', sourcesRoutes(deps))
    .route('/api/documents', documentsRoutes(deps))
    .route('/api/imports', importsRoutes(deps))
    .route('/api/codebooks', codebooksRoutes(deps))
    .route('/api/prompts', promptsRoutes())
    .route('/api/providers', providersRoutes(deps))
    .route('/api/tagging', taggingRoutes(deps))
    .route('/api/review', reviewRoutes(deps))
    .route('/api/items', itemsRoutes(deps))
    .route('/api/dashboard', dashboardRoutes(deps))
    .route('/api/export', exportRoutes(deps))
    .route('/api/evals', evalsRoutes(deps))
    .route('/api/jobs', jobsRoutes(deps))
    .route('/api/stories', storiesRoutes(deps));

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Framescope API',
      version: '0.1.0',
      description: 'Comparative framing dashboard with model-assisted tagging. Errors are `{ error: { code, message } }`.',
    },
  });

  if (deps.webRoot) {
    const root = deps.webRoot;
    app.use('/assets/*', serveStatic({ root }));
    app.get('*', (c) => {
      if (c.req.path.startsWith('/api/')) return c.notFound();
      // Single-page app: every non-API path gets index.html; the client router takes over.
      return c.html(readFileSync(join(root, 'index.html'), 'utf8'));
    });
  }
  return api;
}

export type AppType = ReturnType<typeof createApp>;
