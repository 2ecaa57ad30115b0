import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { openAppDb } from '../db.ts';
import { loadConfig } from '../config.ts';
import type { AppDeps } from '../deps.ts';
import { bulkPassageText, seedBulkCorpus } from '../fixtures.ts';
import { startServer } from '../server.ts';
import { serverDeps } from './setup.ts';

const PASSAGES = 50_000;

describe('a server running a large local tagging run', () => {
  let dir = '';
  let db: Db;
  let deps: AppDeps;
  let url = '';
  let close = async () => {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-responsive-'));
    const dbPath = join(dir, 'fs.db');
    db = openAppDb(dbPath);
    seedBulkCorpus(db, { sources: 20, documents: PASSAGES / 25, passagesPerDocument: 25, passageText: bulkPassageText });
    deps = serverDeps({ db, config: loadConfig({}, { dbPath, port: 0, host: '127.0.0.1' }) });
    const started = await startServer(deps);
    url = started.url;
    close = async () => {
      started.server.close();
      await deps.jobs.stop();
      db.$client.close();
    };
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`answers health, stats and the review queue while a run over ${PASSAGES.toLocaleString('en')} passages works`, async () => {
    const res = await fetch(`${url}/api/tagging/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'local', levels: ['passage'] }) });
    expect(res.status).toBe(201);
    const run = (await res.json()) as { id: number; itemsTotal: number };
    expect(run.itemsTotal).toBe(PASSAGES);
    const runState = async () => ((await (await fetch(`${url}/api/tagging/runs/${run.id}`)).json()) as { run: { status: string; itemsDone: number } }).run;

    // Rounds of reads, each counted only when the run was running before and after it, mid-way.
    let roundsWhileRunning = 0;
    for (let round = 0; round < 200 && roundsWhileRunning < 3; round++) {
      const before = await runState();
      const [health, stats, queue] = await Promise.all([fetch(`${url}/api/health`), fetch(`${url}/api/stats`), fetch(`${url}/api/review/queue?status=unreviewed&limit=20`)]);
      expect([health.status, stats.status, queue.status]).toEqual([200, 200, 200]);
      expect(await health.json()).toMatchObject({ ok: true });
      expect(((await stats.json()) as { passages: number }).passages).toBe(PASSAGES);
      expect(((await queue.json()) as { entries: unknown[] }).entries.length).toBe(20);
      const after = await runState();
      if (before.status === 'running' && after.status === 'running' && after.itemsDone > 0 && after.itemsDone < PASSAGES) roundsWhileRunning++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(roundsWhileRunning, 'rounds of reads answered while the run was working').toBe(3);

    // The point is made; stop the run and check that what it wrote is whole.
    await fetch(`${url}/api/tagging/runs/${run.id}/cancel`, { method: 'POST' });
    for (let i = 0; i < 600 && (await runState()).status === 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    const stopped = await runState();
    expect(stopped.status).toBe('cancelled');
    const counts = db.$client
      .prepare(
        `SELECT (SELECT count(*) FROM suggestions WHERE run_id = ?) AS suggestions, (SELECT count(DISTINCT item_id) FROM suggestions WHERE run_id = ?) AS items,
                (SELECT count(*) FROM tagging_run_items WHERE run_id = ? AND status = 'done') AS done`,
      )
      .get(run.id, run.id, run.id) as { suggestions: number; items: number; done: number };
    expect(counts).toEqual({ suggestions: stopped.itemsDone, items: stopped.itemsDone, done: stopped.itemsDone });
  }, 180_000);
});
