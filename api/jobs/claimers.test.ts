import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { testDialect } from '../../db/testing.ts';
import { openAppDb } from '../db.ts';
import { createTestDb } from '../testing.ts';
import { DbJobQueue } from './queue.ts';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const claimer = new URL('./testing/claimer.ts', import.meta.url).pathname;

/** Runs one claimer process on `target`; resolves with the job ids it claimed. */
function claimIn(target: string, owner: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, claimer, target, owner], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`claimer ${owner} exited ${code}: ${err}`))));
  });
}

describe('the job queue shared by several processes', () => {
  let db: Db | undefined;
  let dir: string | undefined;
  afterEach(() => {
    db?.$client.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`never gives one job to two of four processes claiming at once (${testDialect()})`, async () => {
    let target: string;
    if (testDialect() === 'postgres') {
      db = createTestDb();
      target = (db.$client as unknown as { url: string }).url;
    } else {
      dir = mkdtempSync(join(tmpdir(), 'framescope-claimers-'));
      target = join(dir, 'jobs.db');
      db = openAppDb(target);
    }
    const queue = new DbJobQueue(db);
    const now = new Date('2026-01-15T12:00:00Z');
    for (let i = 0; i < 120; i++) queue.enqueue({ kind: 'export', params: { n: i }, createdBy: 'alice' }, now);
    const claimed = await Promise.all([0, 1, 2, 3].map((w) => claimIn(target, `worker-${w}`)));
    const all = claimed.flat();
    expect(all.length, 'claims in all').toBe(120);
    expect(new Set(all).size, 'distinct jobs claimed').toBe(120);
    const rows = queue.list({ limit: 200 });
    for (const [w, ids] of claimed.entries()) for (const id of ids) expect(rows.find((r) => r.id === id)).toMatchObject({ state: 'running', owner: `worker-${w}`, attempts: 1 });
  });
});
