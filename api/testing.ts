import type { Db } from '../db/client.ts';
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openAppDb } from './db.ts';
import type { AppDeps } from './deps.ts';

/** A fresh, migrated and seeded in-memory database for one test. */
export function createTestDb(): Db {
  return openAppDb(':memory:');
}

/** App dependencies over a fresh in-memory database, a local provider and a fixed clock. */
export function testDeps(overrides: Partial<AppDeps> & { env?: NodeJS.ProcessEnv } = {}): AppDeps & { db: Db; config: Config } {
  const { env, ...rest } = overrides;
  const config = loadConfig(env ?? {}, { dbPath: ':memory:' });
  return { db: createTestDb(), config, now: () => new Date('2026-01-15T12:00:00Z'), ...rest };
}

/** A test app and its deps. */
export function testApp(overrides: Partial<AppDeps> & { env?: NodeJS.ProcessEnv } = {}) {
  const deps = testDeps(overrides);
  return { deps, app: createApp(deps) };
}
