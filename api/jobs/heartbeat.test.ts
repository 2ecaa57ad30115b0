import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openAppDb } from '../db.ts';
import { defaultProviders } from '../providers/factory.ts';
import { heartbeat, HEARTBEAT_STALE_MS } from './context.ts';
import { DbJobQueue } from './queue.ts';
import { createJobRunner } from './runner.ts';
import { initialProgress } from './types.ts';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const claimedAt = new Date('2026-01-15T12:00:00Z');
const later = (ms: number) => new Date(claimedAt.getTime() + ms);
// A process on another host: only its heartbeat says whether it is alive.
const OWNER = 'another-host:4242:abcd1234';

describe('a job heartbeat that hits a locked database', () => {
  it('is skipped without throwing, the next beat is written, and the job is not declared dead', () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-heartbeat-'));
    const dbPath = join(dir, 'fs.db');
    const db = openAppDb(dbPath);
    // The job's connection waits 20 ms for the lock (5 s in production) so the test does not sleep.
    db.$client.pragma('busy_timeout = 20');
    const queue = new DbJobQueue(db);
    const job = queue.enqueue({ kind: 'rollups', params: {}, createdBy: 'ana', claimBy: OWNER }, claimedAt);
    const holder = new Database(dbPath);
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare("INSERT INTO audit_log (actor, action, entity_type) VALUES ('test', 'hold the write lock', 'test')").run();

    const progress = { ...initialProgress('rebuilding', 'statements', 10), done: 3 };
    expect(heartbeat(queue, job.id, OWNER, later(10_000), progress)).toBe('busy');
    expect(queue.get(job.id)).toMatchObject({ state: 'running', owner: OWNER, heartbeatAt: claimedAt.toISOString() });

    holder.exec('ROLLBACK');
    holder.close();
    const retried = later(11_000);
    expect(heartbeat(queue, job.id, OWNER, retried, { ...progress, done: 4 })).toBe('ok');
    expect(queue.get(job.id)).toMatchObject({ state: 'running', heartbeatAt: retried.toISOString(), progress: { done: 4, total: 10 } });

    // Past HEARTBEAT_STALE_MS since the claim, within it since the retried beat: alive.
    const recoverAt = later(HEARTBEAT_STALE_MS + 5_000);
    const runner = createJobRunner({ deps: { db, config: loadConfig({}, { dbPath }), now: () => recoverAt, providers: defaultProviders, filesDir: join(dir, 'files') }, mode: 'inline' });
    runner.recover();
    expect(queue.get(job.id)).toMatchObject({ state: 'running', owner: OWNER });
    db.$client.close();
  });
});
