import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPg, type PgDb } from './client.ts';
import { PgJobQueue } from './jobQueue.ts';
import { auditLog } from './schema/index.ts';
import { createMigratedPgDb, describePg } from './testing.ts';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const LATER = new Date('2026-01-15T12:05:00.000Z');
const progress = { phase: 'tagging', done: 3, total: 10, unit: 'items', ratePerSec: 1, etaSec: 7, failed: 0, costUsd: null, message: null };

describePg('PgJobQueue (jobs on PostgreSQL, FOR UPDATE SKIP LOCKED)', (serverUrl) => {
  let pg: Awaited<ReturnType<typeof createMigratedPgDb>>;
  let queue: PgJobQueue;
  beforeEach(async () => {
    pg = await createMigratedPgDb(serverUrl);
    queue = new PgJobQueue(pg.db);
  });
  afterEach(async () => {
    await pg.close();
  });

  it('never gives one job to two of several claimers racing on their own connections', async () => {
    for (let i = 0; i < 24; i++) await queue.enqueue({ kind: 'export', params: { n: i }, createdBy: 'alice' }, NOW);
    const pools: PgDb[] = Array.from({ length: 6 }, () => openPg(pg.database.url, { max: 1 }));
    try {
      const claimed = await Promise.all(
        pools.map(async (db, w) => {
          const mine = new PgJobQueue(db);
          const ids: number[] = [];
          for (let job = await mine.claim(`worker-${w}`, NOW); job; job = await mine.claim(`worker-${w}`, NOW)) ids.push(job.id);
          return ids;
        }),
      );
      const all = claimed.flat();
      expect(all.length, 'claims in all').toBe(24);
      expect(new Set(all).size, 'distinct jobs claimed').toBe(24);
      const rows = await queue.list({ limit: 100 });
      for (const [w, ids] of claimed.entries()) for (const id of ids) expect(rows.find((r) => r.id === id)).toMatchObject({ state: 'running', owner: `worker-${w}`, attempts: 1 });
    } finally {
      await Promise.all(pools.map((db) => db.$client.end()));
    }
  });

  it('takes the oldest queued job, or the one asked for, and reads back ISO times', async () => {
    const a = await queue.enqueue({ kind: 'export', params: {}, createdBy: 'alice' }, NOW);
    const b = await queue.enqueue({ kind: 'import', params: {}, createdBy: 'alice' }, NOW);
    expect((await queue.claim('p1', LATER, b.id))?.id).toBe(b.id);
    const first = await queue.claim('p1', LATER);
    expect(first).toMatchObject({ id: a.id, state: 'running', owner: 'p1', startedAt: '2026-01-15T12:05:00.000Z', heartbeatAt: '2026-01-15T12:05:00.000Z', createdAt: '2026-01-15T12:00:00.000Z' });
    expect(await queue.claim('p1', LATER)).toBeNull();
  });

  it('lets only the owner heartbeat, save a result and finish; a cancel request reaches the owner', async () => {
    const job = await queue.enqueue({ kind: 'tagging', params: {}, createdBy: 'alice', claimBy: 'owner' }, NOW);
    expect(await queue.heartbeat(job.id, 'intruder', LATER, progress)).toBe('lost');
    expect(await queue.heartbeat(job.id, 'owner', LATER, progress)).toBe('ok');
    await queue.saveResult(job.id, 'intruder', { stolen: true });
    expect(await queue.finish(job.id, 'intruder', LATER, { state: 'completed' })).toBeNull();
    expect((await queue.requestCancel(job.id, 'bob', LATER)).cancelRequested).toBe(true);
    expect(await queue.heartbeat(job.id, 'owner', LATER, progress)).toBe('cancel');
    const done = await queue.finish(job.id, 'owner', LATER, { state: 'cancelled', result: { items: 3 } });
    expect(done).toMatchObject({ state: 'cancelled', owner: null, result: { items: 3 }, progress, finishedAt: '2026-01-15T12:05:00.000Z', cancelRequested: false });
    await expect(queue.resume(job.id, 'bob', LATER)).resolves.toMatchObject({ state: 'queued' });
    await expect(queue.resume(job.id, 'bob', LATER)).rejects.toMatchObject({ code: 'job_active' });
    await expect(queue.get(9999)).rejects.toMatchObject({ code: 'not_found' });
  });

  it("recovers a dead owner's job: interrupted with the reason, resumed to another process, the old owner locked out", async () => {
    const job = await queue.enqueue({ kind: 'tagging', params: {}, createdBy: 'alice' }, NOW);
    await queue.claim('dead:1', NOW);
    expect(await queue.interrupt(job.id, 'someone-else', LATER, 'interrupted', 'not theirs')).toBeNull();
    const stopped = await queue.interrupt(job.id, 'dead:1', LATER, 'interrupted', 'the process running this job stopped');
    expect(stopped).toMatchObject({ state: 'interrupted', owner: null, error: 'the process running this job stopped' });
    const resumed = await queue.resume(job.id, 'system', LATER, 'alive:2');
    expect(resumed).toMatchObject({ state: 'running', owner: 'alive:2', attempts: 2, error: null });
    expect(await queue.heartbeat(job.id, 'dead:1', LATER, progress)).toBe('lost');
    expect(await queue.finish(job.id, 'dead:1', LATER, { state: 'failed', error: 'late' })).toBeNull();
    expect(await queue.finish(job.id, 'alive:2', LATER, { state: 'completed' })).toMatchObject({ state: 'completed' });
    const audit = await pg.db.select({ actor: auditLog.actor, action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, job.id)).orderBy(auditLog.id);
    expect(audit).toEqual([
      { actor: 'system', action: 'job.interrupted' },
      { actor: 'system', action: 'job.resume' },
    ]);
  });
});
