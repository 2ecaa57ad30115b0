import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppDb } from '../db.ts';
import { bulkPassageText, seedBulkCorpus } from '../fixtures.ts';
import { spawnServer, type ServerProcess } from '../testing.ts';
import type { JobView } from './view.ts';

let dir = '';
let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.kill();
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Polls `read` until `done` holds (at most about a minute). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 1_200; i++) {
    const v = await read();
    if (done(v)) return v;
    await sleep(50);
  }
  throw new Error('condition not reached');
}

describe('a server killed with SIGKILL in the middle of a job', () => {
  it('resumes a local tagging run after a restart with nothing lost and nothing tagged twice', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-kill-run-'));
    const dbPath = join(dir, 'fs.db');
    const passages = 10_000;
    const db = openAppDb(dbPath);
    seedBulkCorpus(db, { sources: 10, documents: passages / 20, passagesPerDocument: 20, passageText: bulkPassageText });
    db.$client.close();

    server = await spawnServer(dbPath);
    const run = (await (await fetch(`${server.url}/api/tagging/runs`, json({ provider: 'local', levels: ['passage'] }))).json()) as { id: number };
    const runState = (url: string) => async () => ((await (await fetch(`${url}/api/tagging/runs/${run.id}`)).json()) as { run: { status: string; itemsDone: number; jobId: number } }).run;
    const midway = await until(runState(server.url), (r) => r.itemsDone >= 1_000);
    expect(midway.itemsDone).toBeLessThan(passages);
    await server.kill('SIGKILL');

    server = await spawnServer(dbPath);
    const found = await runState(server.url)();
    expect(found.status, 'found on start, never left running').toBe('interrupted');
    const job = (await (await fetch(`${server.url}/api/jobs/${found.jobId}`)).json()) as JobView;
    expect(job).toMatchObject({ state: 'interrupted', resumable: true });
    expect((await fetch(`${server.url}/api/tagging/runs/${run.id}/resume`, json({}))).status).toBe(200);
    const finished = await until(runState(server.url), (r) => r.status !== 'running' && r.status !== 'pending' && r.status !== 'interrupted');
    expect(finished).toMatchObject({ status: 'completed', itemsDone: passages });
    await server.kill();

    const check = openAppDb(dbPath);
    const perItem = check.$client
      .prepare(`SELECT count(*) AS n FROM items i LEFT JOIN suggestions s ON s.item_id = i.id WHERE i.level = 'passage' GROUP BY i.id HAVING count(s.id) <> 1`)
      .all();
    expect(perItem, 'every passage has exactly one suggestion').toEqual([]);
    expect(check.$client.prepare(`SELECT status, count(*) AS n FROM tagging_run_items WHERE run_id = ? GROUP BY status`).all(run.id)).toEqual([{ status: 'done', n: passages }]);
    expect((check.$client.prepare('SELECT sum(suggestion_count) AS n FROM items').get() as { n: number }).n).toBe(passages);
    check.$client.close();
  }, 180_000);

  it('resumes an import started by upload after a restart: the file cut off is imported whole, none twice', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-kill-import-'));
    const dbPath = join(dir, 'fs.db');
    openAppDb(dbPath).$client.close();
    const csv = (name: string, rows: number) => {
      const lines = ['text,title,source'];
      for (let i = 0; i < rows; i++) lines.push(`"${bulkPassageText(i, name.length)}\n\n${bulkPassageText(i, name.length + 1)}",${name} row ${i},${name} outlet`);
      return new File([`${lines.join('\n')}\n`], `${name}.csv`, { type: 'text/csv' });
    };
    const files = [csv('first', 50), csv('large', 3_000), csv('last', 50)];
    server = await spawnServer(dbPath);
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    const res = await fetch(`${server.url}/api/imports`, { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as JobView;
    const jobState = (url: string) => async () => (await (await fetch(`${url}/api/jobs/${queued.id}`)).json()) as JobView;
    // Killed once the first file is in and the large one is being read and stored.
    const midway = await until(jobState(server.url), (j) => ((j.result as { files: unknown[] } | null)?.files.length ?? 0) >= 1);
    expect(midway.state).toBe('running');
    await server.kill('SIGKILL');

    server = await spawnServer(dbPath);
    const found = await jobState(server.url)();
    expect(found).toMatchObject({ state: 'interrupted', resumable: true });
    expect((await fetch(`${server.url}/api/jobs/${queued.id}/resume`, { method: 'POST' })).status).toBe(200);
    const done = await until(jobState(server.url), (j) => j.state !== 'queued' && j.state !== 'running');
    expect(done.state).toBe('completed');
    const report = done.result as { files: { file: string; status: string; documents: number }[]; totals: { documents: number; unchangedDocuments: number; failed: number } };
    expect(report.files.map((f) => f.file)).toEqual(['first.csv', 'large.csv', 'last.csv']);
    expect(report.totals.failed).toBe(0);
    await server.kill();

    const check = openAppDb(dbPath);
    const docs = check.$client.prepare('SELECT s.name AS source, count(*) AS n, count(DISTINCT d.content_hash) AS distinctTexts FROM documents d JOIN sources s ON s.id = d.source_id GROUP BY s.name ORDER BY s.name').all();
    expect(docs).toEqual([
      { source: 'first outlet', n: 50, distinctTexts: 50 },
      { source: 'large outlet', n: 3_000, distinctTexts: 3_000 },
      { source: 'last outlet', n: 50, distinctTexts: 50 },
    ]);
    check.$client.close();
  }, 180_000);
});
