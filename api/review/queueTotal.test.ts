import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { identifyLocalReviewer } from '../auth/service.ts';
import { addSuggestion, seedCorpus } from '../fixtures.ts';
import { createTestDb } from '../testing.ts';
import { decide } from './decisions.ts';
import { getProtocol } from './protocol.ts';
import { filterCondition, queuePage, type QueueFilter } from './queue.ts';

const at = new Date('2026-01-15T12:00:00Z');

/** Two outlets' passages and documents, decided into every status a reviewer's actions reach. */
function decidedCorpus() {
  const db = createTestDb();
  const passages = (n: number) => Array.from({ length: n }, (_, k) => ({ text: `Passage ${k}: the council met and talked about the budget.` }));
  const docs = seedCorpus(db, [
    { name: 'Outlet A', documents: [{ title: 'A1', passages: passages(6) }, { title: 'A2', passages: passages(4) }] },
    { name: 'Outlet B', documents: [{ title: 'B1', passages: passages(5) }] },
  ]);
  const ids = docs.flatMap((d) => d.passageItemIds);
  const ann = identifyLocalReviewer(db, 'Ann');
  const bob = identifyLocalReviewer(db, 'Bob');
  const suggestion = (itemId: number) => addSuggestion(db, itemId, { label: 'critical', stance: -1 });
  const version = (itemId: number) => db.get<{ v: number }>(sql`SELECT version AS v FROM items WHERE id = ${itemId}`).v;
  ids.slice(0, 10).forEach(suggestion);
  for (const itemId of [ids[0]!, ids[1]!, ids[10]!]) decide(db, ann, itemId, { action: 'accept', suggestionId: suggestion(itemId), basedOnVersion: version(itemId) }, at);
  for (const itemId of [ids[2]!, ids[11]!]) decide(db, ann, itemId, { action: 'reject', basedOnVersion: version(itemId) }, at);
  for (const itemId of [ids[3]!, ids[12]!]) decide(db, ann, itemId, { action: 'exclude', note: 'boilerplate', basedOnVersion: version(itemId) }, at);
  decide(db, ann, ids[4]!, { action: 'edit', label: 'analytical', basedOnVersion: version(ids[4]!) }, at);
  decide(db, bob, ids[4]!, { action: 'edit', label: 'critical', basedOnVersion: version(ids[4]!) }, at);
  decide(db, ann, ids[5]!, { action: 'skip', basedOnVersion: version(ids[5]!) }, at);
  return { db, ann };
}

describe("the queue's total", () => {
  it('equals the count of the items the filter selects, for every level, status and source filter, read from the rollups or counted', () => {
    const { db, ann } = decidedCorpus();
    const statuses = db.all<{ s: string }>(sql`SELECT DISTINCT review_status AS s FROM items WHERE level = 'passage' ORDER BY 1`).map((r) => r.s);
    expect(statuses).toEqual(['disputed', 'rejected', 'reviewed', 'unreviewed']);
    const protocol = getProtocol(db);
    const filters: QueueFilter[] = [];
    for (const level of ['passage', 'document'] as const) {
      for (const status of [undefined, 'unreviewed', 'reviewed', 'rejected', 'disputed', 'excluded'] as const) {
        for (const sources of [undefined, ['Outlet A'], ['Outlet B'], ['Outlet A', 'Outlet B']]) filters.push({ level, status, sources });
      }
    }
    filters.push({ level: 'passage', status: 'unreviewed', label: 'critical' }, { level: 'passage', minConfidence: 0.5 }, { level: 'passage', status: 'reviewed', sources: ['Outlet A'], label: 'critical' });
    const totals = filters.map((f) => ({ f, total: queuePage(db, ann, f, { order: 'random', limit: 5 }).total }));
    const counted = filters.map((f) => ({ f, total: db.get<{ n: number }>(sql`SELECT count(*) AS n FROM items i WHERE ${filterCondition(db, f, ann, protocol)}`).n }));
    expect(totals).toEqual(counted);
    expect(totals.find((t) => t.f.level === 'passage' && t.f.status === 'unreviewed' && !t.f.sources && !t.f.label)?.total).toBe(7);
  });
});
