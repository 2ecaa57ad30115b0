import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { identifyLocalReviewer } from '../auth/service.ts';
import { rebuildRollups, ROLLUP_TABLES } from '../dashboard/rollups.ts';
import { addSuggestions, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { BULK_CHUNK_ITEMS, bulkAccept, MAX_BULK_ITEMS } from './bulk.ts';
import { decide } from './decisions.ts';

const reviewCount = (db: Db) => (db.$client.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n;
const rollupSnapshot = (db: Db) => Object.fromEntries(ROLLUP_TABLES.map((t) => [t, db.all<object>(sql.raw(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort()]));

/** `n` passages with a confident suggestion each (every other one with a theme). */
function suggested(db: Db, n: number): number[] {
  const docs = seedCorpus(db, [{ name: 'Outlet', documents: Array.from({ length: Math.ceil(n / 50) }, (_, d) => ({ title: `D${d}`, passages: Array.from({ length: 50 }, (_, p) => ({ text: `Document ${d} passage ${p}.` })) })) }]);
  const ids = docs.flatMap((d) => d.passageItemIds).slice(0, n);
  addSuggestions(db, ids.map((itemId, k) => ({ itemId, label: 'critical', stance: -1, confidence: 0.95, themes: k % 2 === 0 ? ['sanctions'] : [] })));
  return ids;
}

describe('bulk accept at scale', () => {
  it(`accepts at most ${BULK_CHUNK_ITEMS} items before letting other work run, and leaves a decision made meanwhile alone`, async () => {
    const { deps } = testApp();
    const ids = suggested(deps.db, 3 * BULK_CHUNK_ITEMS + 7);
    const ann = identifyLocalReviewer(deps.db, 'Ann');
    const bob = identifyLocalReviewer(deps.db, 'Bob');
    const running = bulkAccept(deps.db, ann, { level: 'passage' }, 0.9, ids.length, deps.now());
    // The call has returned to the event loop after its first transaction: that is all the work it did in one go.
    expect(reviewCount(deps.db)).toBe(BULK_CHUNK_ITEMS);
    const late = ids[2 * BULK_CHUNK_ITEMS + 3]!;
    decide(deps.db, bob, late, { action: 'edit', label: 'analytical', stance: 0, themes: [], basedOnVersion: 1 }, deps.now());
    expect(await running).toEqual({ accepted: ids.length - 1, skipped: 1 });
    const onLate = deps.db.$client.prepare('SELECT kind, label FROM reviews WHERE item_id = ?').all(late);
    expect(onLate).toEqual([{ kind: 'manual', label: 'analytical' }]);
    // Each chunk moved the dashboard's rollups once for its items: to what a rebuild from items gives.
    const kept = rollupSnapshot(deps.db);
    expect(kept.source_rollups!.length).toBeGreaterThan(0);
    rebuildRollups(deps.db);
    expect(rollupSnapshot(deps.db)).toEqual(kept);
  });

  it(`refuses a selection of more than ${MAX_BULK_ITEMS} items with 400 and the limit, writing nothing`, async () => {
    const { app, deps } = testApp();
    const one = suggested(deps.db, 1)[0]!;
    // 10,001 suggested passage items in all, without storing 10,001 suggestions: the selection reads items.
    // Quoted aliases: PostgreSQL folds an unquoted documentId to documentid.
    const { documentId, sourceId, suggestionId } = deps.db.$client.prepare('SELECT document_id AS "documentId", source_id AS "sourceId", latest_suggestion_id AS "suggestionId" FROM items WHERE id = ?').get(one) as Record<string, number>;
    deps.db.$client
      .prepare(
        `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10000)
         INSERT INTO items (level, document_id, source_id, seq, text_hash, random_key, latest_suggestion_id, suggested_label, suggested_confidence)
         SELECT 'passage', ?, ?, 1000 + k, 'h' || k, k / 10000.0, ?, 'critical', 0.95 FROM n`,
      )
      .run(documentId, sourceId, suggestionId);
    const cookie = `fs_reviewer=Ann`;
    await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ann' }) });
    const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
    const preview = (await (await post('/api/review/bulk/preview', { filter: { level: 'passage' }, threshold: 0.9 })).json()) as { count: number; limit: number };
    expect(preview).toMatchObject({ count: 10_001, limit: MAX_BULK_ITEMS });
    const res = await post('/api/review/bulk/accept', { filter: { level: 'passage' }, threshold: 0.9, expectedCount: 10_001 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'bulk_too_large', message: 'a bulk accept takes at most 10000 items and this selection has 10001: raise the threshold or narrow the filter', details: { limit: 10_000, count: 10_001 } },
    });
    expect(reviewCount(deps.db)).toBe(0);
  });
});
