import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { authMiddleware } from './auth/middleware.ts';
import type { AppDeps } from './deps.ts';
import { AppError } from './errors.ts';
import { bodyGuard } from './guards/body.ts';
import { databaseUnavailable } from './guards/database.ts';
import { loopbackHostGuard } from './guards/host.ts';
import { corpusRoutes } from './routes/corpus.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { evalsRoutes } from './routes/evals.ts';
import { exportRoutes } from './routes/export.ts';
import { healthRoutes } from './routes/health.ts';
import { reviewRoutes } from './routes/review.ts';
import { taggingRoutes } from './routes/tagging.ts';

/**
 * Builds the Hono app from its dependencies; never listens (server.ts does). Tests call
 * `createApp(deps).request(...)` against a fresh database.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono();

  app.onError((err, c) => {
    const known = err instanceof AppError ? err : databaseUnavailable(err, deps.readOnlyReason);
    if (known) {
      return c.json({ error: { code: known.code, message: known.message, ...(known.details === undefined ? {} : { details: known.details }) } }, known.status, known.headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: 'http_error', message: err.message } }, err.status);
    }
    console.error(err);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

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

  const api = app
    .route('/api', healthRoutes(deps))
    .route('/api', corpusRoutes(deps))
    .route('/api', taggingRoutes(deps))
    .route('/api', reviewRoutes(deps))
    .route('/api', dashboardRoutes(deps))
    .route('/api', exportRoutes(deps))
    .route('/api', evalsRoutes(deps));

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
