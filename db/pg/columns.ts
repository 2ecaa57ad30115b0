import { getTableColumns, sql } from 'drizzle-orm';
import { check, customType, type PgColumn } from 'drizzle-orm/pg-core';

/**
 * A point in time, stored as `timestamp(3) with time zone` and read back as the ISO string
 * (`2024-10-15T09:30:00.000Z`) the app's SQLite columns hold. Millisecond precision is what
 * `Date.toISOString()` writes, so a value survives the round trip unchanged, while PostgreSQL
 * still compares, indexes and range-filters it as time (SQLite compares the strings).
 */
export const isoTimestamp = customType<{ data: string; driverData: string | Date }>({
  dataType: () => 'timestamp(3) with time zone',
  toDriver: (value) => value,
  fromDriver: (value) => toIsoString(value),
});

/** The server's `2024-10-15 09:30:00.123+00` (drizzle's node-postgres session reads timestamps unparsed) as ISO 8601 in UTC. */
export function toIsoString(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const iso = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new Error(`not a timestamp: ${value}`);
  return at.toISOString();
}

/** Bytes (SQLite's BLOB): a Buffer both ways. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * One CHECK per enum column of a table (`<table>_<column>_check`): the SQLite schema's text
 * enums are only TypeScript, here the database itself refuses a status or kind outside the
 * shared vocabulary, so a migrated database cannot carry one unnoticed.
 */
export function enumChecks(table: string, columns: Record<string, PgColumn>) {
  // The extra-config callback receives index-building copies of the columns, which carry no
  // enum values: read them from the table's own columns.
  return Object.values(columns).flatMap((column) => {
    const values = Object.values(getTableColumns(column.table)).find((c) => c.name === column.name)?.enumValues;
    if (!values?.length) return [];
    return [check(`${table}_${column.name}_check`, sql`${sql.identifier(column.name)} IN (${sql.raw(values.map(quote).join(', '))})`)];
  });
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
