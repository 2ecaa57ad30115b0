import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openAppDb } from '../db.ts';
import { seededRandom } from '../metrics/rng.ts';
import { runImport } from './import.ts';
import { diskSource } from './sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'fs-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIB = 1024 * 1024;
const TARGET_BYTES = 100 * MIB;

const WORDS = 'government minister council treaty union market border energy pipeline trade customs policy election region capital economy sanctions security alliance summit agreement partner the a of to in and on for with that as by from at which this their its new'.split(' ');

/** Writes a JSONL file of about `bytes` bytes, one ~32 KB article of random words per line, without holding it in memory. */
async function writeJsonl(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  const rand = seededRandom(7);
  const paragraph = () => `${Array.from({ length: 180 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ')}.`;
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    const line = `${JSON.stringify({ id: `row-${rows}`, title: `Article ${rows}`, outlet: `Outlet ${rows % 50}`, date: '2024-03-01', text: Array.from({ length: 26 }, paragraph).join('\n\n') })}\n`;
    written += Buffer.byteLength(line);
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return rows;
}

describe('a large row file', () => {
  it('imports a 100 MB JSONL in one go with flat memory', { timeout: 240_000 }, async () => {
    const path = join(dir, 'big.jsonl');
    const rows = await writeJsonl(path, TARGET_BYTES);
    expect(statSync(path).size).toBeGreaterThanOrEqual(TARGET_BYTES);
    const db = openAppDb(join(dir, 'big.db'));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const report = await runImport(db, [diskSource({ file: path, path, manifest: null })], { origin: 'cli' }, { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
    expect(report.files[0]).toMatchObject({ status: 'imported', rows, documents: rows, rejected: 0 });
    expect(db.get<{ n: number }>(sql`SELECT count(*) AS n FROM documents`)!.n).toBe(rows);
    db.$client.close();
    // A sanity bound, not a measurement: reading the whole file into memory would add well over 200 MiB (text, then JS strings).
    expect((peak - baseline) / MIB).toBeLessThan(150);
  });
});
