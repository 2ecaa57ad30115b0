import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { WriteGate } from '../../db/writeGate.ts';
import type { Config } from '../config.ts';
import type { AppDeps } from '../deps.ts';
import { defaultProviders, type ProviderFactory } from '../providers/factory.ts';
import { retrainSchedule } from '../training/schedule.ts';
import { createJobRunner, type JobRunner } from './runner.ts';

/**
 * Where a database's job files live: `data/framescope-files/` beside `data/framescope.db`; an
 * in-memory database gets a folder of its own under the system's temporary folder.
 */
export function filesDirFor(dbPath: string): string {
  if (dbPath === ':memory:') return join(tmpdir(), 'framescope-files', randomUUID());
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}-files`);
}

/**
 * The job runner of a process over its database: worker threads for a database file (the
 * server: recovering, claiming and retraining in the background), or this thread for an
 * in-memory database no other connection can open. A CLI runner (`background: false`) runs
 * only the jobs it is handed, in its own thread: the command is the job's process.
 */
export function jobRunnerFor(base: { db: Db; config: Config; now: () => Date; providers: ProviderFactory; writeGate?: WriteGate }, opts: { background: boolean }): JobRunner {
  const deps = { ...base, filesDir: filesDirFor(base.config.dbPath === ':memory:' || base.db.$client.memory ? ':memory:' : base.db.$client.name) };
  return createJobRunner({
    deps,
    mode: opts.background && !base.db.$client.memory ? 'threads' : 'inline',
    maxConcurrent: base.config.jobThreads,
    background: opts.background,
    scheduled: opts.background ? [retrainSchedule(deps)] : [],
  });
}

/** A server's dependencies over an open database: the default providers, the real clock, a write gate shared with the job threads, and a background job runner (started by startServer). */
export function serverDeps(base: { db: Db; config: Config; now?: () => Date; providers?: ProviderFactory; webRoot?: string; evalResultsDir?: string; readOnlyReason?: string | null }): AppDeps {
  const core = { db: base.db, config: base.config, now: base.now ?? (() => new Date()), providers: base.providers ?? defaultProviders, writeGate: new WriteGate() };
  return { ...core, jobs: jobRunnerFor(core, { background: true }), webRoot: base.webRoot, evalResultsDir: base.evalResultsDir, readOnlyReason: base.readOnlyReason };
}
