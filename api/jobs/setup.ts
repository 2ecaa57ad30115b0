import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { isFileDatabase, localFilesStem, reopenTarget } from '../../db/target.ts';
import { WriteGate } from '../../db/writeGate.ts';
import type { Config } from '../config.ts';
import type { AppDeps } from '../deps.ts';
import { defaultProviders, type ProviderFactory } from '../providers/factory.ts';
import { retrainSchedule } from '../training/schedule.ts';
import { createJobRunner, type JobRunner } from './runner.ts';

/**
 * Where a database's job files live: `data/framescope-files/` beside `data/framescope.db`,
 * `data/<database>-files/` for a PostgreSQL database (db/target.ts); an in-memory database gets
 * a folder of its own under the system's temporary folder.
 */
export function filesDirFor(dbPath: string): string {
  if (dbPath === ':memory:') return join(tmpdir(), 'framescope-files', randomUUID());
  return `${localFilesStem(dbPath)}-files`;
}

/**
 * The job runner of a process over its database: worker threads for a database file or a
 * PostgreSQL database (the server: recovering, claiming and retraining in the background), or
 * this thread for an in-memory database no other connection can open, and for deps with a
 * provider factory other than the default one (a test's scripted provider), which a thread
 * cannot be handed (thread.ts builds its own deps with defaultProviders). A CLI runner
 * (`background: false`) runs only the jobs it is handed, in its own thread: the command is the
 * job's process.
 */
export function jobRunnerFor(base: { db: Db; config: Config; now: () => Date; providers: ProviderFactory; writeGate?: WriteGate }, opts: { background: boolean }): JobRunner {
  // The job threads open the database this runner's connection is on (its path or full URL), whatever the config said.
  const target = base.db.$client.memory ? ':memory:' : reopenTarget(base.db);
  const deps = { ...base, config: { ...base.config, dbPath: target }, filesDir: filesDirFor(base.config.dbPath === ':memory:' || target === ':memory:' ? ':memory:' : target) };
  return createJobRunner({
    deps,
    mode: opts.background && !base.db.$client.memory && base.providers === defaultProviders ? 'threads' : 'inline',
    maxConcurrent: base.config.jobThreads,
    background: opts.background,
    scheduled: opts.background ? [retrainSchedule(deps)] : [],
  });
}

/**
 * A server's dependencies over an open database: the default providers, the real clock, a write
 * gate shared with the job threads (an SQLite file's: on PostgreSQL writers queue for the write
 * lock in the server's lock queue, db/pg/sync), and a background job runner (started by startServer).
 */
export function serverDeps(base: { db: Db; config: Config; now?: () => Date; providers?: ProviderFactory; webRoot?: string; evalResultsDir?: string; readOnlyReason?: string | null }): AppDeps {
  const gate = isFileDatabase(reopenTarget(base.db)) ? { writeGate: new WriteGate() } : {};
  const core = { db: base.db, config: base.config, now: base.now ?? (() => new Date()), providers: base.providers ?? defaultProviders, ...gate };
  return { ...core, jobs: jobRunnerFor(core, { background: true }), webRoot: base.webRoot, evalResultsDir: base.evalResultsDir, readOnlyReason: base.readOnlyReason };
}
