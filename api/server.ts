import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';

/**
 * The only place that listens. Starts the job runner (recovering jobs a killed process left,
 * then claiming queued ones) and resolves once the port is bound, with the URL it serves.
 */
export function startServer(deps: AppDeps): Promise<{ server: ServerType; url: string }> {
  const app = createApp(deps);
  // A read-only database can run no job: they would all fail on their first write.
  if (!deps.readOnlyReason) deps.jobs.start();
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: deps.config.port, hostname: deps.config.host }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({ server, url: `http://${host}:${info.port}` });
    });
  });
}
