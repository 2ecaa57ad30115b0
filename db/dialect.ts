import { applyMigrations, type Db, type DbOrTx } from './client.ts';
import { asAsyncJobQueue, type AsyncJobQueue, type JobQueue } from './jobQueue.ts';
import type { MigrationInfo } from './migrate.ts';


/** The databases Framescope can keep its data in. */
export type DialectName = 'sqlite' | 'postgres';

/** Where the data lives, as given by `--db`, `DATABASE_URL` or `FRAMESCOPE_DB`. */
export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; display: string };

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/** Reads a database setting: a `postgres://` or `postgresql://` URL, else an SQLite file path (or `:memory:`). */
export function parseDatabaseTarget(value: string): DatabaseTarget {
  if (!POSTGRES_URL.test(value)) return { dialect: 'sqlite', path: value };
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`not a PostgreSQL URL: ${redactUrl(value)} (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)`);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) throw new Error(`PostgreSQL URL ${redactUrl(value)} names no host`);
  return { dialect: 'postgres', url: value, display: redactUrl(value) };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@');
}

/**
 * One database dialect as the code above `db/` sees it: which one, where, how its schema is
 * brought up to date, its job-queue engine and how it is closed. The dialect-specific parts
 * (table builders, migrations, transaction and claim mechanics) live below this line.
 */
export interface Dialect<Database, Tx> {
  readonly name: DialectName;
  /** The file path, or the URL without its password. */
  readonly location: string;
  /** The drizzle database over this dialect's schema. */
  readonly db: Database;
  /** Applies the committed migrations of this dialect the database lacks; returns them, oldest first. */
  migrate(): Promise<MigrationInfo[]>;
  /** The job queue on this database, with its own way of making a claim exclusive. */
  readonly jobs: AsyncJobQueue<Tx>;
  /** Closes the connection (SQLite) or drains the pool (PostgreSQL). */
  close(): Promise<void>;
}

/**
 * An open SQLite database as a Dialect. Its job queue is the app's synchronous one (it writes
 * audit rows through the app's own service), handed in and answered through promises.
 */
export function sqliteDialect(db: Db, queue: JobQueue): Dialect<Db, DbOrTx> {
  return {
    name: 'sqlite',
    location: db.$client.name,
    db,
    migrate: async () => applyMigrations(db),
    jobs: asAsyncJobQueue(queue),
    close: async () => {
      db.$client.close();
    },
  };
}
