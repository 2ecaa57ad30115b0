/** The databases Framescope can keep its data in. */
export type DialectName = 'sqlite' | 'postgres';

/** Where the data lives, as given by `--db`, `DATABASE_URL` or `FRAMESCOPE_DB`. */
export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; display: string };

/** Whether a database setting names PostgreSQL (a `postgres://` or `postgresql://` URL). */
export const isPostgresUrl = (value: string): boolean => /^postgres(?:ql)?:\/\//i.test(value);

/** Reads a database setting: a `postgres://` or `postgresql://` URL, else an SQLite file path (or `:memory:`). */
export function parseDatabaseTarget(value: string): DatabaseTarget {
  if (!isPostgresUrl(value)) return { dialect: 'sqlite', path: value };
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
