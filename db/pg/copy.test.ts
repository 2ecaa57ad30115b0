import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { openAppDb } from '../../api/db.ts';
import { testApp } from '../../api/testing.ts';
import { addReview, addSuggestion } from '../../api/fixtures.ts';
import { importDemoCorpus } from '../../api/ingest/demo.ts';
import { DbJobQueue } from '../../api/jobs/queue.ts';
import { openDb, type Db } from '../client.ts';
import { codebooks, documents, items, localModels, settings, taggingRunItems, taggingRuns } from '../schema/index.ts';
import { toIsoString } from './columns.ts';
import { openPg, type PgDb } from './client.ts';
import { copySqliteToPg, CopyRefusedError, pgTables } from './copy.ts';
import * as pgSchema from './schema/index.ts';
import { createTestPgDatabase, describePg, type TestPgDatabase } from './testing.ts';

const LABELS = ['conflict', 'economic', 'human_interest', 'morality', 'responsibility'];

/** The demo corpus with a suggestion on every item, reviews of several kinds, a tagging run, jobs in three states and a stored local model. */
async function seededDatabase(path: string): Promise<Db> {
  const db = openAppDb(path);
  await importDemoCorpus(db);
  const all = db.select({ id: items.id }).from(items).orderBy(items.id).all();
  const codebook = db.select().from(codebooks).get()!;
  const run = db
    .insert(taggingRuns)
    .values({ status: 'completed', provider: 'local', model: 'local-baseline', codebookId: codebook.id, promptVersions: { passage: 'passage-v2' }, selection: { all: true }, options: { concurrency: 2, temperature: 0 }, itemsTotal: all.length, itemsDone: all.length, costUsd: 0.125, startedAt: '2026-01-15T12:00:00.000Z', finishedAt: '2026-01-15T12:01:30.250Z' })
    .returning()
    .get();
  for (const [i, item] of all.entries()) {
    addSuggestion(db, item.id, { label: LABELS[i % LABELS.length]!, stance: (i % 5) - 2, themes: i % 3 === 0 ? ['security', 'economy'] : [], confidence: 0.5 + (i % 7) / 20, runId: run.id, evidence: [{ quote: 'q', verified: i % 2 === 0, start: i % 2 === 0 ? 0 : null, end: i % 2 === 0 ? 1 : null }] });
    db.insert(taggingRunItems).values({ runId: run.id, itemId: item.id, status: 'done', attempts: 1, updatedAt: '2026-01-15T12:01:00.000Z' }).run();
  }
  addReview(db, all[0]!.id, { reviewer: 'alice', action: 'accept', queueOrder: 'random' });
  addReview(db, all[1]!.id, { reviewer: 'alice', action: 'edit', label: 'morality', stance: 1, themes: ['religion'], note: 'a "quoted" note, with; punctuation', blind: true });
  addReview(db, all[1]!.id, { reviewer: 'bob', action: 'edit', label: 'conflict', stance: -1 });
  addReview(db, all[2]!.id, { reviewer: 'bob', action: 'reject', label: null, shown: { suggestion: { label: 'economic' } } });
  const queue = new DbJobQueue(db);
  const now = new Date('2026-01-15T12:00:00.000Z');
  const done = queue.enqueue({ kind: 'export', params: { format: 'csv' }, createdBy: 'alice', claimBy: 'host:1:a' }, now);
  queue.finish(done.id, 'host:1:a', now, { state: 'completed', result: { file: 'x.csv', rows: 12 } });
  queue.enqueue({ kind: 'eval', params: {}, createdBy: 'bob' }, now);
  queue.enqueue({ kind: 'tagging', params: { runId: run.id }, createdBy: 'alice', taggingRunId: run.id, claimBy: 'host:2:b' }, now);
  db.insert(localModels).values({ version: 'local-baseline-v2.n3.abc', codebookId: codebook.id, codebookHash: codebook.hash, trainingSize: 3, trainingHash: 'h', lastReviewId: 4, artifact: Buffer.from([0, 1, 2, 250, 255, 0]), artifactBytes: 6 }).run();
  db.insert(settings).values({ key: 'protocol', value: { overlap: 2, blind: false, nested: { b: 1, a: [1, 'two', null] } } }).run();
  return db;
}

/** Every value as PostgreSQL's text output, so nothing is converted on the way out but by normalise(). */
async function rawPgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (value: string) => value } });
  await client.connect();
  return client;
}

/** Key-order-free JSON (jsonb keeps its own key order). */
const canonical = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)])) : value;

/** One value of either side in one comparable form, by the PostgreSQL column's type. */
function normalise(value: unknown, sqlType: string, side: 'sqlite' | 'pg'): unknown {
  if (value === null) return null;
  if (sqlType === 'boolean') return side === 'pg' ? value === 't' : value === 1;
  if (sqlType === 'jsonb') return canonical(JSON.parse(String(value)));
  if (sqlType.startsWith('timestamp')) return side === 'pg' ? toIsoString(String(value)) : new Date(String(value)).toISOString();
  if (sqlType === 'bytea') return side === 'pg' ? String(value).slice(2) : (value as Buffer).toString('hex');
  if (sqlType === 'integer' || sqlType === 'bigint' || sqlType === 'double precision') return Number(value);
  return String(value);
}

describePg('migrate --to: an SQLite database copied into PostgreSQL', (serverUrl) => {
  let dir: string;
  let sqlite: Db;
  let target: TestPgDatabase;
  let pgDb: PgDb;
  // Seeded once; each test copies the file (WAL checkpointed by the close).
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-copy-'));
    (await seededDatabase(join(dir, 'seed.db'))).$client.close();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    copyFileSync(join(dir, 'seed.db'), join(dir, 'fs.db'));
    sqlite = openAppDb(join(dir, 'fs.db'));
    target = await createTestPgDatabase(serverUrl);
    pgDb = openPg(target.url, { max: 2 });
  });
  afterEach(async () => {
    sqlite.$client.close();
    await pgDb.$client.end();
    await target.drop();
  });

  it('copies every row of every table with nothing lost, and reports its progress table by table', async () => {
    const seen: string[] = [];
    const report = await copySqliteToPg(sqlite.$client, pgDb, { batchRows: 7, onProgress: (p) => seen.push(`${p.table}:${p.tableDone}/${p.tableTotal}`) });
    const tables = pgTables().map((t) => getTableConfig(t));
    expect(report.tables.map((t) => t.table).sort()).toEqual(tables.map((t) => t.name).sort());
    expect(report.tables.findIndex((t) => t.table === 'items')).toBeGreaterThan(report.tables.findIndex((t) => t.table === 'passages'));
    expect(seen).toContain(`items:7/${report.tables.find((t) => t.table === 'items')!.rows}`);
    const client = await rawPgClient(target.url);
    try {
      let compared = 0;
      for (const config of tables) {
        const order = (config.primaryKeys[0]?.columns ?? config.columns.filter((c) => c.primary)).map((c) => `"${c.name}"`).join(', ');
        const cols = config.columns.map((c) => `"${c.name}"`).join(', ');
        const left = sqlite.$client.prepare(`SELECT ${cols} FROM "${config.name}" ORDER BY ${order}`).raw(true).all() as unknown[][];
        const right = (await client.query({ text: `SELECT ${cols} FROM "${config.name}" ORDER BY ${order}`, rowMode: 'array' })).rows as unknown[][];
        const types = config.columns.map((c) => c.getSQLType());
        expect(right.map((r) => r.map((v, i) => normalise(v, types[i]!, 'pg'))), `rows of ${config.name}`).toEqual(left.map((r) => r.map((v, i) => normalise(v, types[i]!, 'sqlite'))));
        compared += left.length;
      }
      expect(compared).toBe(report.rows);
      expect(report.rows).toBeGreaterThan(500);
    } finally {
      await client.end();
    }
  });

  it('gives the same dashboard numbers on both: framing counts per source and mean stance', async () => {
    await copySqliteToPg(sqlite.$client, pgDb);
    const framing = `SELECT s.name AS source, i.suggested_label AS label, count(*) AS n FROM items i JOIN sources s ON s.id = i.source_id WHERE i.level = 'passage' AND i.excluded = %F AND i.suggested_label IS NOT NULL GROUP BY s.name, i.suggested_label ORDER BY s.name, i.suggested_label`;
    const stance = `SELECT s.name AS source, avg(i.suggested_stance) AS mean, count(i.suggested_stance) AS n FROM items i JOIN sources s ON s.id = i.source_id WHERE i.level = 'passage' AND i.excluded = %F GROUP BY s.name ORDER BY s.name`;
    const onSqlite = (q: string) => sqlite.$client.prepare(q.replace('%F', '0')).all() as Record<string, unknown>[];
    const onPg = async (q: string) => (await pgDb.$client.query(q.replace('%F', 'false'))).rows as Record<string, unknown>[];
    const numbers = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?[\d.]+$/.test(v) ? Number(v) : v])));
    const sqliteFraming = numbers(onSqlite(framing));
    expect(new Set(sqliteFraming.map((r) => r.source)).size, 'sources with framing counts').toBeGreaterThan(2);
    expect(numbers(await onPg(framing))).toEqual(sqliteFraming);
    const pgStance = numbers(await onPg(stance));
    const sqliteStance = numbers(onSqlite(stance));
    expect(pgStance.map((r) => [r.source, r.n])).toEqual(sqliteStance.map((r) => [r.source, r.n]));
    for (const [i, row] of sqliteStance.entries()) expect(pgStance[i]!.mean as number).toBeCloseTo(row.mean as number, 12);
  });

  it("answers every dashboard view through the app with the same JSON on the copy as on the SQLite original", async () => {
    await copySqliteToPg(sqlite.$client, pgDb);
    const copy = openDb(target.url);
    try {
      const onSqlite = testApp({ db: sqlite }).app;
      const onPg = testApp({ db: copy }).app;
      const views = [
        '/api/dashboard/meta',
        '/api/dashboard/framing?basis=model',
        '/api/dashboard/framing?basis=final&level=document',
        '/api/dashboard/stance?basis=model',
        '/api/dashboard/themes?basis=model',
        '/api/dashboard/timeline?basis=model&granularity=month',
        '/api/dashboard/similarity?basis=model',
        '/api/dashboard/agreement',
        '/api/dashboard/framing?basis=model&status=reviewed',
        '/api/dashboard/passages?basis=model&limit=20',
      ];
      for (const view of views) {
        const left = await onSqlite.request(view);
        const right = await onPg.request(view);
        expect(right.status, `${view} on PostgreSQL`).toBe(left.status);
        expect(left.status, `${view} on SQLite`).toBe(200);
        expect(await right.json(), view).toEqual(await left.json());
      }
    } finally {
      copy.$client.close();
    }
  });

  it('copies one snapshot of SQLite while another connection writes during the copy', async () => {
    const other = openDb(join(dir, 'fs.db'));
    let wrote = false;
    const report = await copySqliteToPg(sqlite.$client, pgDb, {
      onProgress: () => {
        if (wrote) return;
        other.$client.prepare(`INSERT INTO settings (key, value) VALUES ('late', '1')`).run();
        wrote = true;
      },
    });
    other.$client.close();
    expect(wrote).toBe(true);
    expect(report.tables.find((t) => t.table === 'settings')).toEqual({ table: 'settings', rows: 1 });
    expect((await pgDb.$client.query('SELECT key FROM settings')).rows).toEqual([{ key: 'protocol' }]);
    expect(sqlite.select().from(settings).all().map((r) => r.key).sort()).toEqual(['late', 'protocol']);
  });

  it('moves every identity sequence past the copied ids, so the next row gets a new id', async () => {
    await copySqliteToPg(sqlite.$client, pgDb);
    const maxDocument = sqlite.$client.prepare('SELECT max(id) AS id FROM documents').get() as { id: number };
    const [source] = await pgDb.insert(pgSchema.sources).values({ name: 'A new outlet' }).returning();
    const [doc] = await pgDb.insert(pgSchema.documents).values({ sourceId: source!.id, title: 't', text: 'x', contentHash: 'h' }).returning();
    expect(doc!.id).toBe(maxDocument.id + 1);
  });

  it('refuses a target that already holds Framescope rows, or tables of something else, and writes nothing', async () => {
    await copySqliteToPg(sqlite.$client, pgDb);
    const refusal = copySqliteToPg(sqlite.$client, pgDb);
    await expect(refusal).rejects.toBeInstanceOf(CopyRefusedError);
    await expect(refusal).rejects.toThrow(/^the target database is not empty: \d+ Framescope table\(s\) already hold rows \(([a-z_]+, ){5}and \d+ more\); give an empty database \(createdb NAME\): migrate --to never merges two databases$/);
    const other = await createTestPgDatabase(serverUrl);
    const otherDb = openPg(other.url, { max: 1 });
    try {
      await otherDb.$client.query('CREATE TABLE invoices (id int)');
      await expect(copySqliteToPg(sqlite.$client, otherDb)).rejects.toThrow("the target database is not empty: it holds 1 table(s) that are not Framescope's (invoices); give an empty database");
      const tables = await otherDb.$client.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(Number(tables.rows[0].n)).toBe(1);
    } finally {
      await otherDb.$client.end();
      await other.drop();
    }
  });

  it('rolls the whole copy back when a row breaks a PostgreSQL rule, naming the table', async () => {
    sqlite.$client.prepare(`UPDATE documents SET published_precision = 'week' WHERE id = 2`).run();
    await expect(copySqliteToPg(sqlite.$client, pgDb)).rejects.toThrow(/^documents \(rows 1-\d+\): new row for relation "documents" violates check constraint "documents_published_precision_check"/);
    const counts = await pgDb.$client.query('SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM documents) AS documents');
    expect(counts.rows[0]).toEqual({ sources: '0', documents: '0' });
    expect(sqlite.select().from(documents).all().length).toBeGreaterThan(0);
  });
});
