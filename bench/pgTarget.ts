/**
 * PostgreSQL targets for the benches (`--postgres URL`). A bench needs databases of its own,
 * empty at the start (the copier and the import refuse or mix with rows already there), so the
 * URL names a server and a name prefix rather than one database: the database part of the URL
 * (`postgres://user@host:5432/fs_bench`) is the prefix, and each bench creates
 * `<prefix>_<label>_<pid>` beside it, and drops it when done (unless kept). The server is
 * reached through its `postgres` maintenance database for CREATE and DROP DATABASE.
 *
 * Data generated with raw SQLite statements (explicit ids, SQLite's 0/1 flags) reaches
 * PostgreSQL through the app's own copier (db/pg/copy.ts, as `migrate --to` does), which also
 * moves the identity sequences past the copied ids, so the app's later inserts work as on the
 * SQLite original.
 */
import { createOwnPgDatabase } from '../db/pg/databases.ts';
import { openDb } from '../db/client.ts';
import { isPostgresUrl, redactUrl } from '../db/dialect.ts';
import { openPg } from '../db/pg/client.ts';
import { copySqliteToPg } from '../db/pg/copy.ts';

export interface BenchPgDatabase {
  /** The URL of the bench's own database, for openDb / `--db`. */
  url: string;
  /** The URL without its password, to print. */
  display: string;
  /** Drops the database (connections to it are ended first). */
  drop(): Promise<void>;
}

/** Checks a `--postgres` value early, with the reason, before any minutes of generation. */
export function parsePostgresOption(value: string | undefined): URL | null {
  if (value === undefined) return null;
  if (!isPostgresUrl(value)) throw new Error(`--postgres takes a PostgreSQL URL (postgres://USER@HOST:PORT/PREFIX), not ${value}`);
  const url = new URL(value);
  const prefix = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (prefix === '' || prefix === 'postgres') url.pathname = '/framescope_bench';
  return url;
}

/** The server's `postgres` maintenance database: the URL's own database part is a name prefix, not a database. */
const maintenance = (server: URL): URL => Object.assign(new URL(server), { pathname: '/postgres' });

/** Creates an empty database `<prefix>_<label>_<pid>` on the server `server` names. */
export async function createBenchPgDatabase(server: URL, label: string): Promise<BenchPgDatabase> {
  const own = await createOwnPgDatabase(maintenance(server), `${decodeURIComponent(server.pathname.replace(/^\//, ''))}_${label}_${process.pid}`, 'framescope bench');
  return { url: own.url, display: redactUrl(own.url), drop: own.drop };
}

/** Copies the SQLite database at `sqlitePath` into the empty PostgreSQL database at `url`; returns the rows copied and the seconds it took. */
export async function copyToPg(sqlitePath: string, url: string): Promise<{ rows: number; seconds: number }> {
  const source = openDb(sqlitePath);
  const target = openPg(url, { max: 2, applicationName: 'framescope bench copy' });
  const t0 = performance.now();
  try {
    // The copier ends with ANALYZE: fresh statistics, as the SQLite side gets after generation.
    const report = await copySqliteToPg(source.$client, target);
    return { rows: report.rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    source.$client.close();
    await target.$client.end();
  }
}
