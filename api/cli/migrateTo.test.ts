import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../db/client.ts';
import { committedMigrations } from '../../db/migrate.ts';
import { PG_MIGRATIONS_FOLDER } from '../../db/pg/client.ts';
import { createTestPgDatabase, describePg, type TestPgDatabase } from '../../db/pg/testing.ts';
import { sources } from '../../db/schema/index.ts';
import { buildProgram } from '../cli.ts';
import { CliError } from './common.ts';

describe('migrate --to on the command line', () => {
  const migrate = (...args: string[]) => buildProgram().parseAsync(['migrate', ...args], { from: 'user' });

  it('is listed in the help of migrate', () => {
    const help = buildProgram().commands.find((c) => c.name() === 'migrate')!.helpInformation();
    expect(help).toMatch(/--to <url>\s+copy this SQLite database into an empty PostgreSQL database/);
  });

  it('takes only a PostgreSQL URL and needs an existing SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-mig-'));
    try {
      await expect(migrate('--to', 'mysql://x/y', '--db', join(dir, 'fs.db'))).rejects.toThrow(new CliError('migrate --to takes a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE), not mysql://x/y'));
      await expect(migrate('--to', 'postgres://a@127.0.0.1:1/b', '--db', join(dir, 'none.db'))).rejects.toThrow(`migrate --to: there is no SQLite database at ${join(dir, 'none.db')} to copy (give it with --db FILE)`);
      expect(existsSync(join(dir, 'none.db')), 'no database file created').toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePg('migrate --to against a PostgreSQL server', (serverUrl) => {
  let dir: string;
  let target: TestPgDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-mig-'));
    target = await createTestPgDatabase(serverUrl);
  });
  afterEach(async () => {
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the database, prints one JSON report, and refuses to copy into the same database twice', async () => {
    const file = join(dir, 'fs.db');
    const db = openDb(file);
    db.insert(sources).values([{ name: 'Outlet A' }, { name: 'Outlet B' }]).run();
    db.$client.close();
    // DATABASE_URL naming the target does not turn the source into PostgreSQL.
    vi.stubEnv('DATABASE_URL', target.url);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      await buildProgram().parseAsync(['migrate', '--to', target.url, '--db', file, '--json'], { from: 'user' });
    } finally {
      write.mockRestore();
      vi.unstubAllEnvs();
    }
    const report = JSON.parse(out.join('')) as { database: string; to: string; migrations: string[]; tables: { table: string; rows: number }[]; rows: number };
    expect(report).toMatchObject({ database: file, to: target.url, migrations: committedMigrations(PG_MIGRATIONS_FOLDER).map((m) => m.tag), rows: 2 });
    expect(report.migrations[0]).toBe('0000_init');
    expect(report.tables.find((t) => t.table === 'sources')).toEqual({ table: 'sources', rows: 2 });
    await expect(buildProgram().parseAsync(['migrate', '--to', target.url, '--db', file], { from: 'user' })).rejects.toThrow(
      new CliError('migrate --to: the target database is not empty: 1 Framescope table(s) already hold rows (sources); give an empty database (createdb NAME): migrate --to never merges two databases'),
    );
  });
});
