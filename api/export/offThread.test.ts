import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openAppDb } from '../db.ts';
import { serverDeps } from '../jobs/setup.ts';
import { exportBytes, readParquet, seedLabelled } from './testing.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('HTTP export of a database file', () => {
  it('is encoded by a worker thread into exactly the bytes the in-place encoder writes, bundles included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framescope-offthread-'));
    dirs.push(dir);
    const dbPath = join(dir, 'f.db');
    const db = openAppDb(dbPath);
    seedLabelled(db);
    const now = () => new Date('2026-01-15T12:00:00Z');
    const app = createApp(serverDeps({ db, config: loadConfig({}, { dbPath }), now }));
    const queries: Record<string, string>[] = [
      { format: 'csv', level: 'passage', status: 'all' },
      { format: 'jsonl', level: 'document', status: 'final' },
      { format: 'parquet', level: 'passage', status: 'all', bundle: '1' },
    ];
    for (const query of queries) {
      const res = await app.request(`/api/export?${new URLSearchParams(query)}`);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.equals(exportBytes(db, query).bytes), JSON.stringify(query)).toBe(true);
    }
    const parquet = Buffer.from(await (await app.request('/api/export?format=parquet&level=passage&status=all')).arrayBuffer());
    expect((await readParquet(parquet)).numRows).toBe(10);
    db.$client.close();
  });
});
