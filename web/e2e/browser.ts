import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Db } from '../../db/client.ts';
import { openAppDb } from '../../api/db.ts';
import { createTestDb } from '../../api/testing.ts';
import { reopenTarget } from '../../db/target.ts';
import { testDialect } from '../../db/testing.ts';
import { loadConfig } from '../../api/config.ts';
import { filesDirFor, serverDeps } from '../../api/jobs/setup.ts';
import { keyFileFor } from '../../api/providers/profiles/keys.ts';
import { startServer } from '../../api/server.ts';
import { webDist } from '../build.ts';

/** Debian's Chromium; CI installs it with apt-get. Never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserFixture {
  browser: Browser;
  page: Page;
  db: Db;
  url: string;
  dbPath: string;
  close: () => Promise<void>;
}

/**
 * Starts the real server on a free loopback port over a fresh database file (configured from
 * `env`, e.g. OPENAI_BASE_URL for the scripted model server) and opens a headless Debian
 * Chromium page on it.
 */
export async function openAppInBrowser(env: NodeJS.ProcessEnv = {}): Promise<BrowserFixture> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'framescope-e2e-'));
  // On the PostgreSQL pass the server runs on a throwaway database of its own (dropped at close).
  const pgDb = testDialect() === 'postgres' ? createTestDb() : null;
  const dbPath = pgDb ? reopenTarget(pgDb) : join(dir, 'framescope.db');
  const config = loadConfig(env, { dbPath, port: 0, host: '127.0.0.1' });
  const db = pgDb ?? openAppDb(dbPath);
  const deps = serverDeps({ db, config, webRoot: webDist });
  const { server, url } = await startServer(deps);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  return {
    browser,
    page,
    db,
    url,
    dbPath,
    close: async () => {
      await browser.close();
      await closeServer(server);
      await deps.jobs.stop();
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
      // A PostgreSQL database's job files and key file live under data/ in the working folder, not in `dir`.
      if (pgDb) for (const path of [filesDirFor(dbPath), keyFileFor(dbPath)]) rmSync(path, { recursive: true, force: true });
    },
  };
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) (server as { closeAllConnections: () => void }).closeAllConnections();
    server.close(() => resolve());
  });
}
