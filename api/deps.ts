import type { Db } from '../db/client.ts';
import type { WriteGate } from '../db/writeGate.ts';
import type { Config } from './config.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { ProviderFactory } from './providers/factory.ts';

/** What the app is built from: injected once, so tests can pass a fresh database and a fixed clock. */
export interface AppDeps {
  db: Db;
  config: Config;
  /** Current time; tests may fix it. */
  now: () => Date;
  /** Makes the provider a run asks; tests may pass a fake. */
  providers: ProviderFactory;
  /** Runs long work (tagging runs, imports, exports, evals, training) off the request path. */
  jobs: JobRunner;
  /** Where the built web UI lives; when set, the app serves it at `/`. */
  webRoot?: string;
  /** Why the database cannot be written (found at start), or null/absent when it can; writes then answer 503 with it. */
  readOnlyReason?: string | null;
  /** Where eval result files are read from (default evals/results). */
  evalResultsDir?: string;
  /**
   * Shares the write lock fairly between review writes and the job threads' bulk writers
   * (db/writeGate.ts); without one, reviews wait in SQLite's busy handler.
   */
  writeGate?: WriteGate;
}

/**
 * Runs a review write (`fn`: synchronous, its own `db.transaction` inside) through the write
 * gate when the app has one, so it takes the lock in turn with the job threads' writers without
 * blocking the event loop; otherwise straight away.
 */
export async function inTurn<T>(deps: Pick<AppDeps, 'db' | 'writeGate'>, fn: () => T): Promise<T> {
  return deps.writeGate && !deps.db.$client.memory ? deps.writeGate.exclusive(deps.db.$client, fn) : fn();
}
