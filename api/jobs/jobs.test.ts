import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { testDatabaseTarget } from '../../db/testing.ts';
import { jobs, taggingRuns } from '../../db/schema/index.ts';
import { loadConfig } from '../config.ts';
import { openAppDb } from '../db.ts';
import { exportJobDir } from '../export/job.ts';
import { seedCorpus } from '../fixtures.ts';
import { createRun } from '../tagging/runs.ts';
import { testDeps } from '../testing.ts';
import { DbJobQueue } from './queue.ts';
import { serverDeps } from './setup.ts';
import type { JobEvent } from './types.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const at = new Date('2026-01-15T12:00:00Z');

describe('the job queue', () => {
  it('hands each queued job to one owner, and only that owner can report on it or end it', () => {
    const { db } = testDeps();
    const a = new DbJobQueue(db);
    const b = new DbJobQueue(db);
    const job = a.enqueue({ kind: 'rollups', params: {}, createdBy: 'ana' }, at);
    expect(job).toMatchObject({ state: 'queued', owner: null, attempts: 0, createdBy: 'ana' });
    const claimed = a.claim('owner-a', at);
    expect(claimed).toMatchObject({ id: job.id, state: 'running', owner: 'owner-a', attempts: 1 });
    expect(b.claim('owner-b', at), 'nothing left to claim').toBeNull();
    const progress = { phase: 'rebuilding', done: 1, total: 2, unit: 'statements', ratePerSec: 0, etaSec: null, failed: 0, costUsd: null, message: null };
    expect(b.heartbeat(job.id, 'owner-b', at, progress)).toBe('lost');
    expect(b.finish(job.id, 'owner-b', at, { state: 'completed' })).toBeNull();
    expect(a.heartbeat(job.id, 'owner-a', at, progress)).toBe('ok');
    expect(a.requestCancel(job.id, 'ben', at)).toMatchObject({ state: 'running', cancelRequested: true });
    expect(a.heartbeat(job.id, 'owner-a', at, progress), 'the owner learns of the cancel at its next heartbeat').toBe('cancel');
    expect(a.finish(job.id, 'owner-a', at, { state: 'cancelled', progress })).toMatchObject({ state: 'cancelled', owner: null, cancelRequested: false, progress });
    expect(a.resume(job.id, 'ana', at)).toMatchObject({ state: 'queued', error: null });
    expect(() => a.resume(job.id, 'ana', at)).toThrow(`job ${job.id} is already queued`);
  });

  it('cancels a queued job at once, and lists jobs newest first by state and kind', () => {
    const { db } = testDeps();
    const q = new DbJobQueue(db);
    const first = q.enqueue({ kind: 'rollups', params: {}, createdBy: 'ana' }, at);
    const second = q.enqueue({ kind: 'training', params: { codebookId: 1 }, createdBy: 'ana' }, at);
    expect(q.requestCancel(first.id, 'ana', at)).toMatchObject({ state: 'cancelled', finishedAt: at.toISOString() });
    expect(q.list().map((j) => j.id)).toEqual([second.id, first.id]);
    expect(q.list({ states: ['queued'] }).map((j) => j.kind)).toEqual(['training']);
    expect(q.list({ kinds: ['rollups'] }).map((j) => j.state)).toEqual(['cancelled']);
  });
});

describe('the job runner', () => {
  it('runs a job in a worker thread with its own connection and tells watchers its progress', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-jobs-'));
    const dbPath = join(dir, 'fs.db');
    const db = openDb(dbPath);
    const deps = serverDeps({ db, config: loadConfig({}, { dbPath }) });
    try {
      const job = deps.jobs.submit({ kind: 'rollups', params: {}, createdBy: 'ana' });
      const events: JobEvent[] = [];
      deps.jobs.watch(job.id, (e) => events.push(e));
      expect(deps.jobs.isLive(job.id)).toBe(true);
      const done = await deps.jobs.settled(job.id);
      expect(done).toMatchObject({ state: 'completed', owner: null, attempts: 1, progress: { phase: 'rebuilding', unit: 'statements' } });
      expect(done.progress!.done).toBe(done.progress!.total);
      expect(events.at(-1)).toMatchObject({ type: 'finished', job: { id: job.id, state: 'completed' } });
      expect(events.some((e) => e.type === 'progress' && e.job.progress?.phase === 'rebuilding')).toBe(true);
      expect(deps.jobs.isLive(job.id)).toBe(false);
    } finally {
      await deps.jobs.stop();
      db.$client.close();
    }
  });

  it('claims nothing once stopped: a job submitted after stop() stays queued for the next process', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-jobs-'));
    const dbPath = testDatabaseTarget(dir);
    const db = openAppDb(dbPath);
    const deps = serverDeps({ db, config: loadConfig({}, { dbPath }) });
    try {
      deps.jobs.start();
      await deps.jobs.stop();
      const job = deps.jobs.submit({ kind: 'rollups', params: {}, createdBy: 'ana' });
      expect(deps.jobs.queue.get(job.id)).toMatchObject({ state: 'queued', owner: null, attempts: 0, error: null });
      const next = serverDeps({ db, config: loadConfig({}, { dbPath }) });
      next.jobs.wake();
      expect(await next.jobs.settled(job.id)).toMatchObject({ state: 'completed', attempts: 1 });
      await next.jobs.stop();
    } finally {
      db.$client.close();
    }
  });

  it('finds the jobs of a process that died: resumable kinds interrupted, others failed with the reason, each kind tidied up', () => {
    const deps = testDeps();
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'Doc', passages: [{ text: 'One.' }] }] }]);
    const { run, job: tagging } = createRun(deps, { provider: 'local' }, 'ana', { claimBy: 'elsewhere:1:x' });
    const dead = `${hostname()}:2147483646:dead`;
    const q = deps.jobs.queue;
    const exporting = q.enqueue({ kind: 'export', params: { format: 'csv' }, createdBy: 'ana', claimBy: dead }, at);
    const importing = q.enqueue({ kind: 'import', params: { files: [], options: { origin: 'upload' } }, createdBy: 'ana', claimBy: dead }, at);
    deps.db.update(jobs).set({ owner: dead }).where(eq(jobs.id, tagging.id)).run();
    const partial = exportJobDir(deps.jobs.filesDir, exporting.id);
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, 'framescope-passage-final.csv.partial'), 'text\n');

    deps.jobs.recover();
    const state = (id: number) => q.get(id);
    expect(state(tagging.id)).toMatchObject({ state: 'interrupted', owner: null, error: expect.stringMatching(/^the process running this job stopped \(killed or crashed\) after its last sign of life at .*; resume it to continue$/) });
    expect(state(importing.id)).toMatchObject({ state: 'interrupted' });
    expect(state(exporting.id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/; start it again$/) });
    expect(deps.db.select().from(taggingRuns).where(eq(taggingRuns.id, run.id)).get()).toMatchObject({ status: 'interrupted' });
    expect(existsSync(partial), 'a killed export leaves no partial file').toBe(false);
    rmSync(join(deps.jobs.filesDir), { recursive: true, force: true });
  });

  it('leaves the running jobs of a live process alone', () => {
    const deps = testDeps();
    const alive = `${hostname()}:${process.pid}:other`;
    const job = deps.jobs.queue.enqueue({ kind: 'rollups', params: {}, createdBy: 'ana', claimBy: alive }, at);
    deps.jobs.recover();
    expect(deps.jobs.queue.get(job.id)).toMatchObject({ state: 'running', owner: alive });
  });
});
