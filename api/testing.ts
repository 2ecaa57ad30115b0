import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Db } from '../db/client.ts';
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { createPgTestDb, testDialect } from '../db/testing.ts';
import { seedBundledCodebook } from './codebooks/service.ts';
import { openAppDb } from './db.ts';
import type { AppDeps } from './deps.ts';
import { jobRunnerFor } from './jobs/setup.ts';
import { FINISHED_STATES } from './jobs/types.ts';
import type { JobView } from './jobs/view.ts';
import { defaultProviders } from './providers/factory.ts';

/**
 * A fresh, migrated and seeded database for one test: in-memory SQLite, or a throwaway
 * PostgreSQL database when the suite runs on PostgreSQL (db/testing.ts).
 */
export function createTestDb(): Db {
  if (testDialect() === 'postgres') {
    const db = createPgTestDb();
    seedBundledCodebook(db);
    return db;
  }
  return openAppDb(':memory:');
}

/**
 * App dependencies over a fresh in-memory database, the default providers (the local baseline
 * unless `env` configures another), a fixed clock and a job runner that runs jobs in this
 * thread (an in-memory database has no other connection).
 */
export function testDeps(overrides: Partial<Omit<AppDeps, 'jobs'>> & { env?: NodeJS.ProcessEnv } = {}): AppDeps & { db: Db; config: Config } {
  const { env, ...rest } = overrides;
  const config = loadConfig(env ?? {}, { dbPath: ':memory:' });
  const base = { db: createTestDb(), config, now: () => new Date('2026-01-15T12:00:00Z'), providers: defaultProviders, ...rest };
  return { ...base, jobs: jobRunnerFor(base, { background: true }) };
}

/** A test app and its deps. */
export function testApp(overrides: Partial<Omit<AppDeps, 'jobs'>> & { env?: NodeJS.ProcessEnv } = {}) {
  const deps = testDeps(overrides);
  return { deps, app: createApp(deps) };
}

/** Polls `GET /api/jobs/{id}` until the job has finished; resolves with its view. */
export async function waitForJob(app: { request: (path: string) => Response | Promise<Response> }, id: number): Promise<JobView> {
  for (let i = 0; i < 2_000; i++) {
    const job = (await (await app.request(`/api/jobs/${id}`)).json()) as JobView;
    if (FINISHED_STATES.has(job.state)) return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

/** A real server in a child process (as `npm start` runs it), for tests and benches that kill it or load it from outside. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Lines the server wrote to stderr (errors it logged). */
  stderr: string[];
  /** Lines it wrote to stdout (the serving line, stops). */
  stdout: string[];
  /** Kills it (SIGKILL by default: no chance to tidy up) and waits for it to be gone. */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/** What a CLI child process left behind. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI (`api/cli.ts`) in a child process with only PATH, HOME and `env` in its
 * environment; resolves with its exit code, signal and output. `onSpawn` gets the child, e.g.
 * to SIGKILL it mid-run (tsx runs as a loader in the same process, so the signal reaches it).
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (child: ChildProcess) => void, options: { cwd?: string } = {}): Promise<CliResult> {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, join(import.meta.dirname, 'cli.ts'), ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

/**
 * Starts `api/start.ts` on a free loopback port over `dbPath` (a file or a postgres:// URL; null:
 * no `--db`, the database comes from `env`); resolves once it serves. `cwd`: the folder it runs
 * in (where a PostgreSQL database's local files go, db/target.ts).
 */
export function spawnServer(dbPath: string | null, env: NodeJS.ProcessEnv = {}, options: { cwd?: string } = {}): Promise<ServerProcess> {
  // tsx as a loader in the same process: its CLI would fork a grandchild that a SIGKILL misses.
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsxLoader, join(import.meta.dirname, 'start.ts'), ...(dbPath === null ? [] : ['--db', dbPath]), '--port', '0', '--host', '127.0.0.1'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const stderr: string[] = [];
  const stdout: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      const url = /serving (http:\/\/\S+)/.exec(line)?.[1];
      if (url) {
        resolve({
          url,
          child,
          stderr,
          stdout,
          kill: async (signal = 'SIGKILL') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before serving: ${stderr.join(' | ')}`)));
  });
}
