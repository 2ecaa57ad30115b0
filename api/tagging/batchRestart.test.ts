import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppDb } from '../db.ts';
import { seedCorpus } from '../fixtures.ts';
import { startTestServer, type TestServer } from '../providers/testing/server.ts';
import { spawnServer, type ServerProcess } from '../testing.ts';

let dir = '';
let app: ServerProcess | null = null;
let model: TestServer | null = null;
afterEach(async () => {
  await app?.kill();
  app = null;
  await model?.close();
  model = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 1_200; i++) {
    const v = await read();
    if (done(v)) return v;
    await sleep(50);
  }
  throw new Error('condition not reached');
}

describe('a server killed with SIGKILL while its batch run waits at the provider', () => {
  it('goes on polling the stored batches by itself after a restart and completes without submitting anything again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-kill-batch-'));
    const dbPath = join(dir, 'fs.db');
    const db = openAppDb(dbPath);
    seedCorpus(db, [{ name: 'Outlet', documents: [{ title: 'One', passages: Array.from({ length: 40 }, (_, i) => ({ text: `Passage ${i} about the customs union.` })) }] }]);
    db.$client.close();
    model = await startTestServer();
    model.batches.hold();
    const env = { OPENAI_BASE_URL: model.url, FRAMESCOPE_MODEL: 'test-model', FRAMESCOPE_BATCH_POLL_MS: '20', FRAMESCOPE_BATCH_MAX_REQUESTS: '15' };

    app = await spawnServer(dbPath, env);
    const created = await fetch(`${app.url}/api/tagging/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ levels: ['passage'], batch: true }) });
    expect(created.status).toBe(201);
    const run = (await created.json()) as { id: number };
    const detail = (url: string) => async () => (await (await fetch(`${url}/api/tagging/runs/${run.id}`)).json()) as { run: { status: string; itemsDone: number }; batches: { status: string }[] };
    const waiting = await until(detail(app.url), (d) => d.batches.length === 3 && d.batches.every((b) => b.status === 'submitted'));
    expect(waiting.run.status).toBe('running');
    await app.kill('SIGKILL');
    model.batches.release();

    app = await spawnServer(dbPath, env);
    const done = await until(detail(app.url), (d) => d.run.status === 'completed' || d.run.status === 'failed');
    expect(done.run).toMatchObject({ status: 'completed', itemsDone: 40 });
    expect(done.batches.map((b) => b.status)).toEqual(['applied', 'applied', 'applied']);
    expect(model.batches.created.length, 'no batch submitted again').toBe(3);
    expect(new Set(model.batches.created.flatMap((b) => b.customIds)).size).toBe(40);
  }, 120_000);
});
