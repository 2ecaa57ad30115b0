import { join } from 'node:path';
import { z } from 'zod';
import { parseDatabaseTarget, redactUrl } from '../db/dialect.ts';
import { zodIssueText } from './errors.ts';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  FRAMESCOPE_DB: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z
    .string()
    .url()
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(v), 'must not carry a user name or password (requests to such a URL are refused); put the key in OPENAI_API_KEY')
    .optional(),
  FRAMESCOPE_MODEL: z.string().min(1).optional(),
  FRAMESCOPE_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  FRAMESCOPE_JOB_THREADS: z.coerce.number().int().min(1).max(16).default(2),
  FRAMESCOPE_BATCH_MAX_REQUESTS: z.coerce.number().int().min(1).max(50_000).default(50_000),
  FRAMESCOPE_BATCH_MAX_BYTES: z.coerce.number().int().min(1_024).max(200 * 1024 * 1024).default(200 * 1024 * 1024),
  FRAMESCOPE_BATCH_POLL_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  FRAMESCOPE_BATCH_MAX_ROUNDS: z.coerce.number().int().min(1).max(20).default(3),
});

/** Everything the app reads from its environment, parsed once at start-up. */
export interface Config {
  port: number;
  host: string;
  /**
   * The database: an SQLite file path (or `:memory:`) or a PostgreSQL URL, as `openDb` takes it.
   * A URL carries its password: name it in messages through `describeTarget` (db/target.ts).
   */
  dbPath: string;
  openai: { apiKey: string | undefined; baseURL: string | undefined; model: string | undefined };
  /** `openai` when either OPENAI_API_KEY or OPENAI_BASE_URL is set, else the embedded local provider. */
  defaultProvider: 'openai' | 'local';
  /** True when HOST is a loopback address: then no login is needed. */
  loopbackOnly: boolean;
  /** Beyond loopback: the password of the bootstrapped `admin` user (set once, when no admin has a password yet). */
  adminPassword: string | undefined;
  /** Jobs (tagging runs, imports, exports ...) a server runs at once, each in its own worker thread. */
  jobThreads: number;
  /** Batch runs: requests and bytes per submitted batch at most (the Batch API's limits by default), ms between polls, submissions per item at most. */
  batch: BatchConfig;
}

/** How batch runs split, poll and resubmit. */
export interface BatchConfig {
  maxRequests: number;
  /** bytes of the uploaded JSONL file */
  maxBytes: number;
  /** ms between polls of a submitted batch */
  pollMs: number;
  /** Submissions of an item (the first and resubmissions of unanswered ones) before it is recorded as failed. */
  maxRounds: number;
}

export const DEFAULT_DB_PATH = join('data', 'framescope.db');

/** Parses the environment (and CLI overrides) into a Config, failing fast with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: { dbPath?: string; port?: number; host?: string } = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(`invalid environment variable ${zodIssueText(parsed.error)}`);
  }
  const e = parsed.data;
  const host = overrides.host ?? e.HOST;
  return {
    port: overrides.port ?? e.PORT,
    host,
    dbPath: databaseSetting(overrides.dbPath, e.DATABASE_URL, e.FRAMESCOPE_DB),
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, model: e.FRAMESCOPE_MODEL },
    defaultProvider: e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? 'openai' : 'local',
    loopbackOnly: isLoopback(host),
    adminPassword: e.FRAMESCOPE_ADMIN_PASSWORD,
    jobThreads: e.FRAMESCOPE_JOB_THREADS,
    batch: { maxRequests: e.FRAMESCOPE_BATCH_MAX_REQUESTS, maxBytes: e.FRAMESCOPE_BATCH_MAX_BYTES, pollMs: e.FRAMESCOPE_BATCH_POLL_MS, maxRounds: e.FRAMESCOPE_BATCH_MAX_ROUNDS },
  };
}

/**
 * The database the app opens: `--db`, else `FRAMESCOPE_DB`, else a PostgreSQL `DATABASE_URL`,
 * else data/framescope.db. `--db` and `FRAMESCOPE_DB` take a file path or a PostgreSQL URL;
 * `DATABASE_URL` is read only when it is a PostgreSQL URL (another engine's URL there is not
 * ours and is left alone). `FRAMESCOPE_DB` and a PostgreSQL `DATABASE_URL` naming different
 * databases is refused rather than one quietly chosen. A malformed URL is refused with its
 * password hidden.
 */
function databaseSetting(flag: string | undefined, databaseUrl: string | undefined, envPath: string | undefined): string {
  for (const value of [flag, envPath]) if (value !== undefined) parseDatabaseTarget(value);
  const url = databaseUrl !== undefined && parseDatabaseTarget(databaseUrl).dialect === 'postgres' ? databaseUrl : undefined;
  if (flag !== undefined) return flag;
  if (url !== undefined && envPath !== undefined && envPath !== url) {
    throw new Error(`FRAMESCOPE_DB (${redactUrl(envPath)}) and DATABASE_URL (${redactUrl(url)}) name different databases: unset one, or choose with --db`);
  }
  return envPath ?? url ?? DEFAULT_DB_PATH;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
