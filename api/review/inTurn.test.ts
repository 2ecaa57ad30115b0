import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteGate } from '../../db/writeGate.ts';
import { openAppDb } from '../db.ts';
import { addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** An app over a database file with a write gate, one passage with a suggestion, and Ann chosen as reviewer. */
async function setup() {
  dir = mkdtempSync(join(tmpdir(), 'framescope-in-turn-'));
  const dbPath = join(dir, 'fs.db');
  const { app, deps } = testApp({ db: openAppDb(dbPath), writeGate: new WriteGate() });
  const [doc] = seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Alpha.' }, { text: 'Beta.' }] }] }]);
  const [alpha, beta] = doc!.passageItemIds as [number, number];
  const suggestionId = addSuggestion(deps.db, alpha, { label: 'critical', stance: -1 });
  await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ann' }) });
  const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'fs_reviewer=Ann' }, body: JSON.stringify(body) });
  const reviews = () => deps.db.$client.prepare('SELECT item_id AS itemId, action FROM reviews ORDER BY id').all();
  return { app, deps, dbPath, post, alpha, beta, suggestionId, reviews };
}

describe('a review write through the write gate', () => {
  it('waits for a lock another connection holds without holding up other requests, then is stored', async () => {
    const { app, deps, dbPath, post, alpha, suggestionId, reviews } = await setup();
    const holder = new Database(dbPath);
    holder.exec('BEGIN IMMEDIATE');
    let answered = false;
    const decision = Promise.resolve(post(`/api/items/${alpha}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 1 })).then((r) => {
      answered = true;
      return r;
    });
    for (let i = 0; i < 1_000 && deps.writeGate!.waiting() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(deps.writeGate!.waiting(), 'the decision waits for the lock').toBe(1);
    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect(answered, 'the decision still waits for the lock').toBe(false);
    holder.exec('COMMIT');
    holder.close();
    const r = await decision;
    expect(r.status).toBe(201);
    expect(reviews()).toEqual([{ itemId: alpha, action: 'accept' }]);
  });

  it('rolls back a refused decision whole and leaves the connection ready for the next one', async () => {
    const { deps, post, alpha, beta, suggestionId, reviews } = await setup();
    const refused = await post(`/api/items/${beta}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 0 });
    expect(refused.status).toBe(400);
    expect(deps.db.$client.inTransaction).toBe(false);
    expect(deps.writeGate!.waiting()).toBe(0);
    expect((await post(`/api/items/${alpha}/notes`, { note: 'seen' })).status).toBe(201);
    const undo = await post('/api/review/undo', {});
    expect(undo.status).toBe(404);
    expect((await post(`/api/items/${alpha}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 1 })).status).toBe(201);
    expect((await post('/api/review/undo', {})).status).toBe(201);
    expect(reviews()).toEqual([
      { itemId: alpha, action: 'accept' },
      { itemId: alpha, action: 'undo' },
    ]);
  });
});
