import { describe, expect, it } from 'vitest';
import { DbJobQueue } from '../api/jobs/queue.ts';
import { applyMigrations, openDb, PG_MIGRATIONS_FOLDER } from './client.ts';
import { parseDatabaseTarget, redactUrl } from './dialect.ts';
import { committedMigrations } from './migrate.ts';
import { PgSyncDatabase } from './pg/sync/driver.ts';
import { createTestPgDatabase, describePg } from './pg/testing.ts';

const NOW = new Date('2026-01-15T12:00:00.000Z');

describe('database targets', () => {
  it('reads postgres:// and postgresql:// URLs as PostgreSQL and anything else as an SQLite path', () => {
    expect(parseDatabaseTarget('postgresql://app:pw@db:5432/fs')).toEqual({ dialect: 'postgres', url: 'postgresql://app:pw@db:5432/fs', display: 'postgresql://app:***@db:5432/fs' });
    expect(parseDatabaseTarget('data/team.db')).toEqual({ dialect: 'sqlite', path: 'data/team.db' });
    expect(parseDatabaseTarget(':memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(() => parseDatabaseTarget('postgres://')).toThrow('PostgreSQL URL postgres:// names no host');
  });

  it('hides a password in a URL and leaves one without a password as it is', () => {
    expect(redactUrl('postgres://app:p%40ss@db/fs')).toBe('postgres://app:***@db/fs');
    expect(redactUrl('postgres://app@db/fs')).toBe('postgres://app@db/fs');
  });
});

describePg('a PostgreSQL database opened by its URL', (serverUrl) => {
  it('applies every committed PostgreSQL migration once and names the database without its password', async () => {
    const database = await createTestPgDatabase(serverUrl);
    const db = openDb(database.url, { migrate: false });
    try {
      expect(applyMigrations(db).map((m) => m.tag)).toEqual(committedMigrations(PG_MIGRATIONS_FOLDER).map((m) => m.tag));
      expect(applyMigrations(db)).toEqual([]);
      const withPassword = new PgSyncDatabase(database.url.replace('://', '://framescope:hunter2@'));
      expect(withPassword.name).toBe(database.url.replace('://', '://framescope:***@'));
      withPassword.close();
      const job = new DbJobQueue(db).enqueue({ kind: 'export', params: { a: 1 }, createdBy: 'alice' }, NOW);
      expect(new DbJobQueue(db).claim('p1', NOW)).toMatchObject({ id: job.id, owner: 'p1', params: { a: 1 } });
    } finally {
      db.$client.close();
      await database.drop();
    }
  });
});
