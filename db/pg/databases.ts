import pg from 'pg';

/** A database of its own on a PostgreSQL server (a test's or a bench's); `drop` removes it, ending its connections first. */
export interface OwnPgDatabase {
  /** The URL of the new database (the server's URL with its database part replaced). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function onServer(admin: string | URL, applicationName: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: String(admin), application_name: applicationName });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates the empty database `name` through a connection to `admin` (a URL of the server whose
 * user may create databases), dropping a left-over one of the same name from a killed run first.
 * `name` is letters, digits, `_` and `-`; the new URL is `admin` with its database replaced.
 */
export async function createOwnPgDatabase(admin: string | URL, name: string, applicationName = 'framescope'): Promise<OwnPgDatabase> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`createOwnPgDatabase: not a plain database name (letters, digits, _ and -): ${name}`);
  const drop = () => onServer(admin, applicationName, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await drop();
  await onServer(admin, applicationName, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${encodeURIComponent(name)}`;
  return { url: url.toString(), name, drop };
}
