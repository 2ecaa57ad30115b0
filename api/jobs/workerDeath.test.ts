import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAppDb } from '../db.ts';
import { DbJobQueue } from './queue.ts';
import { recordWorkerDeath } from './workerDeath.ts';

let dir = '';
afterEach(() => {
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const OWNER = 'this-host:1:deadbeef';
const now = () => new Date('2026-02-01T09:00:00Z');

/** A database file with one job claimed by OWNER, and a second connection holding the write lock. */
function lockedJob() {
  dir = mkdtempSync(join(tmpdir(), 'framescope-worker-death-'));
  const dbPath = join(dir, 'fs.db');
  const db = openAppDb(dbPath);
  db.$client.pragma('busy_timeout = 10');
  const queue = new DbJobQueue(db);
  const job = queue.enqueue({ kind: 'rollups', params: {}, createdBy: 'ana', claimBy: OWNER }, now());
  const holder = new Database(dbPath);
  holder.exec('BEGIN IMMEDIATE');
  holder.prepare("INSERT INTO audit_log (actor, action, entity_type) VALUES ('test', 'hold the write lock', 'test')").run();
  return { db, queue, job, holder };
}

describe("recording a dead worker's job while the database is locked", () => {
  it('waits for the lock instead of throwing, then stores the job failed with the reason', async () => {
    const { db, queue, job, holder } = lockedJob();
    const recorded = recordWorkerDeath(queue, job, OWNER, now, 'the worker ran out of memory', { giveUpAfterMs: 10_000, waitMs: 5 });
    await sleep(60);
    expect(queue.get(job.id)).toMatchObject({ state: 'running', owner: OWNER });
    holder.exec('ROLLBACK');
    holder.close();
    const failed = await recorded;
    expect(failed).toMatchObject({ id: job.id, state: 'failed', error: 'the worker ran out of memory' });
    expect(queue.get(job.id)).toMatchObject({ state: 'failed', error: 'the worker ran out of memory' });
    db.$client.close();
  });

  it('gives up after its bound with null and a message, never a rejection', async () => {
    const { db, queue, job, holder } = lockedJob();
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(recordWorkerDeath(queue, job, OWNER, now, 'gone', { giveUpAfterMs: 40, waitMs: 5 })).resolves.toBeNull();
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining(`job ${job.id} (rollups): its worker died and the database stayed locked for 40 ms`));
    holder.exec('ROLLBACK');
    holder.close();
    expect(queue.get(job.id)).toMatchObject({ state: 'running' });
    db.$client.close();
  });

  it('throws errors that are not a locked database', async () => {
    const { db, queue, job, holder } = lockedJob();
    holder.exec('ROLLBACK');
    holder.close();
    db.$client.close();
    await expect(recordWorkerDeath(queue, job, OWNER, now, 'gone', { giveUpAfterMs: 40, waitMs: 5 })).rejects.toThrow(/not open/);
  });
});
