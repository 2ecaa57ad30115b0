import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPgDatabase, describePg, type TestPgDatabase } from '../../db/pg/testing.ts';
import { loadConfig } from '../config.ts';
import { runCli, spawnServer, type ServerProcess } from '../testing.ts';

const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

describe('the database setting', () => {
  it('takes a PostgreSQL URL from --db, FRAMESCOPE_DB or DATABASE_URL', () => {
    expect(loadConfig({}, { dbPath: 'postgres://app:s3cret@db.example:5432/framescope' }).dbPath).toBe('postgres://app:s3cret@db.example:5432/framescope');
    expect(loadConfig({ DATABASE_URL: 'postgresql://app@db/framescope' }).dbPath).toBe('postgresql://app@db/framescope');
    expect(loadConfig({ FRAMESCOPE_DB: 'postgres://app@db/framescope' }).dbPath).toBe('postgres://app@db/framescope');
    expect(loadConfig({ FRAMESCOPE_DB: 'data/a.db', DATABASE_URL: 'postgres://app@db/x' }, { dbPath: 'b.db' }).dbPath, '--db decides').toBe('b.db');
  });

  it('refuses FRAMESCOPE_DB and a PostgreSQL DATABASE_URL naming different databases, hiding the password', () => {
    expect(() => loadConfig({ FRAMESCOPE_DB: 'data/a.db', DATABASE_URL: 'postgres://app:s3cret@db/x' })).toThrow('FRAMESCOPE_DB (data/a.db) and DATABASE_URL (postgres://app:***@db/x) name different databases: unset one, or choose with --db');
  });

  it('leaves a DATABASE_URL that is no PostgreSQL URL alone and keeps the SQLite defaults', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://elsewhere/x' }).dbPath).toBe('data/framescope.db');
    expect(loadConfig({ FRAMESCOPE_DB: 'data/team.db', DATABASE_URL: 'mysql://elsewhere/x' }).dbPath).toBe('data/team.db');
    expect(loadConfig({ FRAMESCOPE_DB: 'data/team.db' }, { dbPath: 'other.db' }).dbPath).toBe('other.db');
  });

  it('refuses a malformed PostgreSQL URL without printing its password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:s3cret@' })).toThrow(/^not a PostgreSQL URL: postgres:\/\/app:\*\*\*@ \(expected postgres:\/\/USER/);
  });

  it('refuses backup and restore of a PostgreSQL database with one line naming pg_dump / pg_restore, before connecting', async () => {
    const backup = await runCli(['backup', 'out.db'], { DATABASE_URL: 'postgres://app:pw@127.0.0.1:1/framescope' });
    expect(backup.code).toBe(1);
    expect(backup.stderr).toBe("framescope: backup works on an SQLite file, and postgres://app:***@127.0.0.1:1/framescope is a PostgreSQL database: back it up with `pg_dump --format=custom --file=FILE` or your PostgreSQL service's managed backups (point-in-time recovery)\n");
    const restore = await runCli(['restore', 'in.db', '--db', 'postgres://app:pw@127.0.0.1:1/framescope']);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/^framescope: restore works on an SQLite file, .*`pg_restore --clean --if-exists --dbname=URL FILE`/);
  });
});

describePg('npm start and the CLI on PostgreSQL', (serverUrl) => {
  let database: TestPgDatabase | null = null;
  let server: ServerProcess | null = null;
  let dir = '';
  afterEach(async () => {
    await server?.kill('SIGTERM');
    server = null;
    await database?.drop();
    database = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh, empty database: the server or command migrates it, as on a new PostgreSQL service. */
  async function freshDatabase(): Promise<{ url: string; rows: (sql: string) => Promise<Record<string, unknown>[]> }> {
    database = await createTestPgDatabase(serverUrl);
    dir = mkdtempSync(join(tmpdir(), 'framescope-pg-app-'));
    const url = new URL(database.url);
    url.password = 'not-printed'; // trust auth ignores it; it must not reach the output
    return {
      url: url.toString(),
      rows: async (sql) => {
        const client = new pg.Client({ connectionString: database!.url });
        await client.connect();
        try {
          return (await client.query(sql)).rows as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      },
    };
  }

  it('serves DATABASE_URL: migrates the empty database, imports the demo, shows the dashboard, stores a review', async () => {
    const { url, rows } = await freshDatabase();
    server = await spawnServer(null, { DATABASE_URL: url }, { cwd: dir });
    const serving = server.stdout.find((l) => l.includes('is serving'))!;
    expect(serving).toContain(`(database ${url.replace(':not-printed@', ':***@')},`);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const demo = (await (await fetch(`${server.url}/api/imports/demo`, { method: 'POST' })).json()) as { totals: { imported: number; documents: number } };
    expect(demo.totals).toMatchObject({ imported: 10, documents: 10 });

    const meta = (await (await fetch(`${server.url}/api/dashboard/meta`)).json()) as unknown;
    expect(JSON.stringify(meta), 'the dashboard names the demo sources').toContain('Northwind Herald');

    await post('/api/auth/me', { name: 'Ann' });
    // The review queue's SQL is not portable yet (db/sqlDialect.ts is taking the services' SQL over): the item comes from the database.
    const [entry] = (await rows("SELECT id AS \"itemId\", version FROM items WHERE level = 'passage' AND excluded = false ORDER BY id LIMIT 1")) as { itemId: number; version: number }[];
    const decision = await post(`/api/items/${entry!.itemId}/reviews`, { action: 'edit', label: 'critical', stance: -1, basedOnVersion: entry!.version }, { cookie: 'fs_reviewer=Ann' });
    expect(decision.status, await decision.clone().text()).toBe(201);
    const framing = (await (await fetch(`${server.url}/api/dashboard/framing?basis=people`)).json()) as { rows: { source: string; counted: number; counts: Record<string, number> }[] };
    const [source] = await rows(`SELECT s.name FROM items i JOIN documents d ON d.id = i.document_id JOIN sources s ON s.id = d.source_id WHERE i.id = ${entry!.itemId}`);
    expect(framing.rows.filter((r) => r.counted > 0), 'the dashboard counts the decision').toEqual([expect.objectContaining({ source: source!.name, counted: 1, counts: expect.objectContaining({ critical: 1, integrationist: 0 }) })]);
    expect(await rows("SELECT item_id AS \"itemId\", action FROM reviews")).toEqual([{ itemId: entry!.itemId, action: 'edit' }]);
    expect([...server.stdout, ...server.stderr].join('\n')).not.toContain('not-printed');
  }, 120_000);

  it('runs import on --db postgres:// and migrate on DATABASE_URL', async () => {
    const { url, rows } = await freshDatabase();
    const imported = await runCli(['import', corpus, '--db', url, '--json'], {}, undefined, { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const [documents] = await rows('SELECT count(*)::int AS n FROM documents');
    expect(documents!.n).toBeGreaterThan(0);
    // `stats` waits for its counts' SQL to run on PostgreSQL (`excluded = 0` on a boolean), as `tag` below.
    const migrate = await runCli(['migrate', '--json'], { DATABASE_URL: url }, undefined, { cwd: dir });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(JSON.parse(migrate.stdout)).toMatchObject({ database: url.replace(':not-printed@', ':***@'), applied: [] });
    for (const r of [imported, migrate]) expect(r.stdout + r.stderr).not.toContain('not-printed');
  }, 120_000);

  // Skipped until api/tagging/estimate.ts's cache count runs on PostgreSQL (`json_extract(s.params, ?) IS ?`:
  // no json_extract, and IS takes no parameter there), which the portable-SQL work (db/sqlDialect.ts) owns.
  it.skip('runs tag with the local provider on --db postgres://: every non-excluded item gets a suggestion', async () => {
    const { url, rows } = await freshDatabase();
    expect((await runCli(['import', corpus, '--db', url, '--json'], {}, undefined, { cwd: dir })).code).toBe(0);
    const tagged = await runCli(['tag', '--json', '--db', url], {}, undefined, { cwd: dir });
    expect(tagged.code, tagged.stderr).toBe(0);
    const summary = JSON.parse(tagged.stdout) as { status: string; provider: string; itemsTotal: number; itemsDone: number; itemsFailed: number };
    const [expected] = await rows('SELECT ((SELECT count(*) FROM passages WHERE excluded = false) + (SELECT count(*) FROM documents))::int AS n');
    expect(summary).toMatchObject({ status: 'completed', provider: 'local', itemsTotal: expected!.n, itemsDone: expected!.n, itemsFailed: 0 });
    const [missing] = await rows("SELECT count(*)::int AS n FROM items i WHERE i.excluded = false AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.item_id = i.id AND s.provider = 'local')");
    expect(missing!.n).toBe(0);
  }, 180_000);
});
