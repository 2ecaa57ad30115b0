import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { runCli } from '../testing.ts';

describe('commands pointed at PostgreSQL before they can run on it', () => {
  it('refuses --db postgres://, naming the flag, hiding the password and saying what works today', () => {
    expect(() => loadConfig({}, { dbPath: 'postgres://app:s3cret@db.example:5432/framescope' })).toThrow(
      '--db names PostgreSQL (postgres://app:***@db.example:5432/framescope), but this command runs on SQLite only for now; on PostgreSQL today: `framescope migrate --to postgres://...`',
    );
  });

  it('refuses DATABASE_URL=postgresql:// and FRAMESCOPE_DB=postgres:// instead of opening an SQLite file', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://app@db/framescope' })).toThrow(/^DATABASE_URL names PostgreSQL \(postgresql:\/\/app@db\/framescope\)/);
    expect(() => loadConfig({ FRAMESCOPE_DB: 'postgres://app@db/framescope' })).toThrow(/^FRAMESCOPE_DB names PostgreSQL/);
    expect(() => loadConfig({ FRAMESCOPE_DB: 'data/a.db', DATABASE_URL: 'postgres://app@db/x' })).toThrow(/^DATABASE_URL names PostgreSQL/);
  });

  it('leaves a DATABASE_URL that is no PostgreSQL URL alone and keeps the SQLite defaults', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://elsewhere/x' }).dbPath).toBe('data/framescope.db');
    expect(loadConfig({ FRAMESCOPE_DB: 'data/team.db' }, { dbPath: 'other.db' }).dbPath).toBe('other.db');
  });

  it('ends the CLI with one line and exit code 1, not a stack trace', async () => {
    const res = await runCli(['stats', '--json'], { DATABASE_URL: 'postgres://app:pw@127.0.0.1:1/framescope' });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^framescope: DATABASE_URL names PostgreSQL \(postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/framescope\), but this command runs on SQLite only for now; .*migrate --to postgres:\/\/.*\n$/);
  });
});
