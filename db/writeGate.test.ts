import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToTestWriter } from './writeGate.testWorker.ts';
import { WriteGate } from './writeGate.ts';

const dirs: string[] = [];
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A WAL database file with a log table, the server's connection on it, and a gate. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-gate-'));
  dirs.push(dir);
  const dbPath = join(dir, 'gate.db');
  const server = new Database(dbPath);
  server.pragma('journal_mode = WAL');
  server.pragma('busy_timeout = 5000');
  server.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, who TEXT NOT NULL)');
  return { dbPath, server, gate: new WriteGate(), log: () => (server.prepare('SELECT who FROM log ORDER BY id').pluck().all() as string[]) };
}

/** The scripted writer thread (writeGate.testWorker.ts), ready for messages. */
async function writerThread(dbPath: string, gate: WriteGate) {
  const worker = new Worker(new URL('../api/jobs/boot.mjs', import.meta.url), { workerData: { entry: new URL('./writeGate.testWorker.ts', import.meta.url).href, dbPath, gate: gate.buffer } });
  workers.push(worker);
  const replies: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  worker.on('message', (m) => (waiting.length > 0 ? waiting.shift()!(m) : replies.push(m)));
  const next = () => (replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise<unknown>((r) => waiting.push(r)));
  expect(await next()).toBe('ready');
  return { worker, next, send: (m: ToTestWriter) => worker.postMessage(m) };
}

describe('the write gate between the server and a bulk writer thread', () => {
  it("gives a waiting review the lock before the writer's next batch", async () => {
    const { dbPath, server, gate, log } = setup();
    const writer = await writerThread(dbPath, gate);
    writer.send({ type: 'hold' });
    expect(await writer.next()).toBe('holding');
    const review = gate.exclusive(server, () => server.prepare('INSERT INTO log (who) VALUES (?)').run('review'));
    writer.send({ type: 'commitWhenWaited', maxWaitMs: 10_000 });
    await review;
    expect(await writer.next()).toBe('done');
    expect(log()).toEqual(['writer batch 1', 'review', 'writer batch 2']);
    expect(gate.waiting()).toBe(0);
  });

  it('lets the writer progress, in small transactions, while reviews keep wanting the lock', async () => {
    const { dbPath, gate, log } = setup();
    const writer = await writerThread(dbPath, gate);
    const release = gate.want();
    writer.send({ type: 'batches', entries: 5, maxWaitMs: 20, sharedChunk: 2 });
    expect(await writer.next()).toEqual({ transactions: 3 });
    release();
    writer.send({ type: 'batches', entries: 5, maxWaitMs: 20, sharedChunk: 2 });
    expect(await writer.next()).toEqual({ transactions: 1 });
    expect(log()).toHaveLength(10);
  });

  it('does not deadlock when the writer thread dies holding the lock while a review waits', async () => {
    const { dbPath, server, gate, log } = setup();
    const writer = await writerThread(dbPath, gate);
    writer.send({ type: 'hold' });
    expect(await writer.next()).toBe('holding');
    const review = gate.exclusive(server, () => server.prepare('INSERT INTO log (who) VALUES (?)').run('review'));
    const exited = once(writer.worker, 'exit');
    writer.send({ type: 'die' });
    await exited;
    await review;
    expect(log()).toEqual(['review']);
    expect(gate.waiting()).toBe(0);
  });

  it("gives up with SQLite's busy error after the connection's busy timeout, and rolls back a transaction that throws", async () => {
    const { dbPath, server, gate, log } = setup();
    const writer = await writerThread(dbPath, gate);
    writer.send({ type: 'hold' });
    expect(await writer.next()).toBe('holding');
    server.pragma('busy_timeout = 30');
    await expect(gate.exclusive(server, () => 'never')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(server.pragma('busy_timeout', { simple: true })).toBe(30);
    expect(server.inTransaction).toBe(false);
    expect(gate.waiting()).toBe(0);
    await writer.worker.terminate();
    await expect(
      gate.exclusive(server, () => {
        server.prepare('INSERT INTO log (who) VALUES (?)').run('rolled back');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(server.inTransaction).toBe(false);
    expect(log()).toEqual([]);
  });
});
