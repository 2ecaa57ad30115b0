import pg from 'pg';

/** A database of its own on a PostgreSQL server (a test's or a bench's); `drop` removes it, ending its connections first. */
export interface OwnPgDatabase {
  /** The URL of the new database (the server's URL with its database part replaced). */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The server's `postgres` maintenance database, where CREATE and DROP DATABASE are sent from. */
function maintenanceUrl(server: string | URL): string {
  const url = new URL(server);
  url.pathname = '/postgres';
  return url.toString();
}

async function onServer(server: string | URL, applicationName: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: maintenanceUrl(server), application_name: applicationName });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * Creates the empty database `name` on the server `server` names (a left-over one of the same
 * name, from a killed run, is dropped first). `name` is letters, digits, `_` and `-`.
 */
export async function createOwnPgDatabase(server: string | URL, name: string, applicationName = 'framescope'): Promise<OwnPgDatabase> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`createOwnPgDatabase: not a plain database name (letters, digits, _ and -): ${name}`);
  const drop = () => onServer(server, applicationName, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await drop();
  await onServer(server, applicationName, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${encodeURIComponent(name)}`;
  return { url: url.toString(), name, drop };
}
