import { describe, expect, it } from 'vitest';
import { DbJobQueue } from '../api/jobs/queue.ts';
import { openDb } from './client.ts';
import { parseDatabaseTarget, redactUrl, sqliteDialect } from './dialect.ts';
import { committedMigrations } from './migrate.ts';
import { PG_MIGRATIONS_FOLDER } from './pg/client.ts';
import { openPgDialect } from './pg/dialect.ts';
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

describe('the SQLite dialect', () => {
  it('is the open database with its queue behind the asynchronous contract', async () => {
    const db = openDb(':memory:');
    const dialect = sqliteDialect(db, new DbJobQueue(db));
    expect(dialect.name).toBe('sqlite');
    expect(await dialect.migrate()).toEqual([]);
    const job = await dialect.jobs.enqueue({ kind: 'export', params: {}, createdBy: 'alice' }, NOW);
    expect(await dialect.jobs.claim('p1', NOW)).toMatchObject({ id: job.id, owner: 'p1', state: 'running' });
    await dialect.close();
    expect(db.$client.open).toBe(false);
  });
});

describePg('the PostgreSQL dialect', (serverUrl) => {
  it('applies every committed PostgreSQL migration once and hides the password of its location', async () => {
    const database = await createTestPgDatabase(serverUrl);
    const withPassword = database.url.replace('://', '://framescope:hunter2@');
    const dialect = openPgDialect(database.url);
    try {
      expect((await dialect.migrate()).map((m) => m.tag)).toEqual(committedMigrations(PG_MIGRATIONS_FOLDER).map((m) => m.tag));
      expect(await dialect.migrate()).toEqual([]);
      const other = openPgDialect(withPassword);
      expect(other.location).toBe(database.url.replace('://', '://framescope:***@'));
      await other.close();
      const job = await dialect.jobs.enqueue({ kind: 'export', params: { a: 1 }, createdBy: 'alice' }, NOW);
      expect(await dialect.jobs.claim('p1', NOW)).toMatchObject({ id: job.id, owner: 'p1', params: { a: 1 } });
    } finally {
      await dialect.close();
      await database.drop();
    }
  });
});
