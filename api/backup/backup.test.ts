import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppDb } from '../db.ts';
import { seedCorpus } from '../fixtures.ts';
import { backupDatabase, partialPathFor } from './backup.ts';
import { lockPathFor } from './lock.ts';
import { restoreDatabase } from './restore.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-backup-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function seededDb(path: string) {
  const db = openAppDb(path);
  const docs = seedCorpus(db, [{ name: 'Outlet', documents: [{ title: 'T', passages: Array.from({ length: 20 }, (_, i) => ({ text: `Passage number ${i}.` })) }] }]);
  return { db, itemIds: docs[0]!.passageItemIds };
}

const reviewIds = (path: string) => {
  const sqlite = new Database(path, { readonly: true });
  const ids = (sqlite.prepare('SELECT id FROM reviews ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  sqlite.close();
  return ids;
};

const SLOW = 90_000; // 90 s: a second process (tsx compiles it on start) writes throughout

describe('backup and restore', () => {
  it(
    'backs up while another process writes reviews continuously, and the restored database holds every review acknowledged before the backup began',
    async () => {
      const dir = tempDir();
      const live = join(dir, 'live.db');
      const { db, itemIds } = seededDb(live);
      const writer = spawn(process.execPath, ['--import', 'tsx', 'api/backup/testing/writer.ts', live, JSON.stringify(itemIds)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const acks: { id: number; at: number }[] = [];
      const lines = createInterface({ input: writer.stdout! });
      let enough: () => void;
      const warmedUp = new Promise<void>((r) => (enough = r));
      lines.on('line', (line) => {
        const m = /^ack (\d+) (\d+)$/.exec(line);
        if (m) acks.push({ id: Number(m[1]), at: Number(m[2]) });
        if (acks.length === 200) enough();
      });
      const exited = new Promise<void>((r) => writer.once('exit', () => r()));
      await warmedUp;

      const startedAt = Date.now();
      const target = join(dir, 'backup.db');
      const result = backupDatabase(db, target);
      // The writer keeps going after the snapshot, as a live server would.
      const ackedBefore = acks.filter((a) => a.at < startedAt).map((a) => a.id);
      await new Promise((r) => setTimeout(r, 300));
      writer.kill('SIGTERM');
      await exited;
      db.$client.close();

      expect(result.bytes).toBeGreaterThan(0);
      expect(existsSync(partialPathFor(target))).toBe(false);
      const inBackup = reviewIds(target);
      expect(ackedBefore.length).toBeGreaterThanOrEqual(150);
      expect(ackedBefore.filter((id) => !inBackup.includes(id)), 'acknowledged before the backup, missing from it').toEqual([]);
      const acked = new Set(acks.map((a) => a.id));
      expect(inBackup.filter((id) => !acked.has(id)), 'in the backup but never acknowledged').toEqual([]);
      expect(reviewIds(live).length).toBeGreaterThan(inBackup.length);

      const restored = await restoreDatabase(target, live, { now: () => new Date('2026-02-03T04:05:06Z') });
      expect(restored.stats.reviews).toBe(inBackup.length);
      expect(reviewIds(live)).toEqual(inBackup);
      expect(restored.previous).toBe(`${live}.before-restore-2026-02-03T04-05-06-000Z`);
      expect(reviewIds(restored.previous!).length).toBe(acks.length);
    },
    SLOW,
  );

  it('leaves no file behind when a backup fails, and a rerun to the same name then works', () => {
    const dir = tempDir();
    const { db } = seededDb(join(dir, 'live.db'));
    const target = join(dir, 'b.db');
    // What an interrupted earlier backup leaves: a half-written temporary file (not the target).
    writeFileSync(partialPathFor(target), 'SQLite format 3\u0000 half');
    const first = backupDatabase(db, target);
    expect(first.removedStale).toBe(true);
    expect(readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(existsSync(partialPathFor(target))).toBe(false);
    expect(() => backupDatabase(db, target)).toThrow(`${target} already exists; choose a new file name`);
    const blocked = join(dir, 'no-such-folder', 'b.db');
    expect(() => backupDatabase(db, blocked)).toThrow();
    expect(existsSync(blocked) || existsSync(partialPathFor(blocked))).toBe(false);
    db.$client.close();
  });

  it('refuses to restore while a server holds the database, and refuses a file that is not a sound Framescope backup', async () => {
    const dir = tempDir();
    const live = join(dir, 'live.db');
    const { db } = seededDb(live);
    const backup = join(dir, 'b.db');
    backupDatabase(db, backup);
    db.$client.close();
    writeFileSync(lockPathFor(live), JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:3000', startedAt: '2026-01-01T00:00:00Z' }));
    await expect(restoreDatabase(backup, live)).rejects.toThrow(
      `a Framescope server (process ${process.pid}, http://127.0.0.1:3000) is using ${live}: stop it first, or run restore with --stop-server (if that process is not Framescope, delete ${live}.server.json)`,
    );
    // A lock left by a server that died names a process that is gone: it does not block.
    writeFileSync(lockPathFor(live), JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:3000', startedAt: '2026-01-01T00:00:00Z' }));
    const corrupt = join(dir, 'corrupt.db');
    copyFileSync(backup, corrupt);
    const bytes = readFileSync(corrupt);
    bytes.fill(0xff, 4096 * 2, 4096 * 3); // a page of a table in the middle
    writeFileSync(corrupt, bytes);
    await expect(restoreDatabase(corrupt, live)).rejects.toThrow(/fails its integrity check|not a Framescope database|malformed/);
    writeFileSync(join(dir, 'notes.txt'), 'not a database');
    await expect(restoreDatabase(join(dir, 'notes.txt'), live)).rejects.toThrow();
    expect((await restoreDatabase(backup, live, { discardCurrent: true })).previous).toBeNull();
  });

  it(
    'stops a running server with --stop-server (it finishes, drops its lock) and then restores',
    async () => {
      const dir = tempDir();
      const live = join(dir, 'live.db');
      const { db } = seededDb(live);
      const backup = join(dir, 'b.db');
      backupDatabase(db, backup);
      db.$client.close();
      const server = spawn(process.execPath, ['--import', 'tsx', 'api/start.ts', '--db', live, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
      await new Promise<void>((resolve) => createInterface({ input: server.stdout! }).on('line', (l) => l.startsWith('Framescope is serving') && resolve()));
      expect(JSON.parse(readFileSync(lockPathFor(live), 'utf8')).pid).toBe(server.pid);
      await expect(restoreDatabase(backup, live)).rejects.toThrow(`a Framescope server (process ${server.pid}`);
      const result = await restoreDatabase(backup, live, { stopServer: true, discardCurrent: true });
      expect(result.stoppedServer?.pid).toBe(server.pid);
      expect(await exited).toBe(0);
      expect(existsSync(lockPathFor(live))).toBe(false);
      expect(result.stats.documents).toBe(1);
    },
    SLOW,
  );

  it('never replays the replaced database write-ahead log onto the restored one', async () => {
    const dir = tempDir();
    const live = join(dir, 'live.db');
    const { db, itemIds } = seededDb(live);
    const backup = join(dir, 'b.db');
    backupDatabase(db, backup);
    // A review that lives only in the write-ahead log, as after a crash: -wal and -shm stay beside the file.
    db.$client.pragma('wal_autocheckpoint = 0');
    db.$client.prepare(`INSERT INTO users (name, role) VALUES ('Wal', 'reviewer')`).run();
    db.$client.prepare(`INSERT INTO reviews (item_id, reviewer_id, action) VALUES (?, (SELECT id FROM users WHERE name = 'Wal'), 'skip')`).run(itemIds[0]);
    const wal = readFileSync(`${live}-wal`);
    const shm = readFileSync(`${live}-shm`);
    db.$client.close();
    writeFileSync(`${live}-wal`, wal);
    writeFileSync(`${live}-shm`, shm);
    const result = await restoreDatabase(backup, live);
    expect(reviewIds(live)).toEqual([]);
    expect(reviewIds(result.previous!)).toHaveLength(1);
    expect(new Database(live, { readonly: true }).pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('runs as the restore and migrate commands, each with --help', () => {
    const dir = tempDir();
    const live = join(dir, 'live.db');
    const { db } = seededDb(live);
    const backup = join(dir, 'b.db');
    backupDatabase(db, backup);
    db.$client.close();
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'api/cli.ts', ...args], { encoding: 'utf8' });
    const fresh = join(dir, 'fresh.db');
    new Database(fresh).close();
    const migrated = cli('migrate', '--db', fresh, '--json');
    expect(migrated.status).toBe(0);
    const report = JSON.parse(migrated.stdout) as { applied: string[]; total: number };
    expect(report.applied).toHaveLength(report.total);
    expect(report.applied[0]).toBe('0000_init');
    expect(cli('migrate', '--db', fresh).stderr).toBe(`${fresh} is up to date (${report.total} migrations applied)\n`);
    const restore = cli('restore', '--db', live, backup, '--discard-current');
    expect(restore.stderr).toMatch(/^restored .* from .*: 1 documents, 0 reviews, integrity check ok\n$/);
    for (const command of ['restore', 'migrate']) expect(cli(command, '--help').stdout).toContain('--db <path>');
  }, SLOW);
});
