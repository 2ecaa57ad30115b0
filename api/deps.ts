import type { Db } from '../db/client.ts';
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
}
