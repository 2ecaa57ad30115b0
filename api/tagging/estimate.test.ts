import { and, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { items } from '../../db/schema/index.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { runImport } from '../ingest/import.ts';
import { bytesSource } from '../ingest/sources.ts';
import { testApp, testDeps } from '../testing.ts';
import { createRun, estimateRun, type RunRequest } from './runs.ts';
import { selectionConditions } from './selection.ts';

/** Three sources, excluded passages, tagged and untagged items, a reviewed one. */
function corpus() {
  const deps = testDeps();
  const docs = seedCorpus(deps.db, [
    { name: 'A', documents: [{ title: 'a1', passages: [{ text: 'Alpha one.' }, { text: 'Alpha two, longer than one.' }, { text: 'Subscribe!', excluded: true }] }, { title: 'a2', passages: [{ text: 'Alpha three ✓ with 𝔘nicode.' }] }] },
    { name: 'B', documents: [{ title: 'b1', passages: [{ text: 'Beta one.' }, { text: 'Beta two.' }] }] },
    { name: 'C', documents: [{ title: 'c1', passages: [{ text: 'Gamma.' }] }] },
  ]);
  addSuggestion(deps.db, docs[0]!.passageItemIds[0]!, { label: 'critical', stance: -1 });
  addSuggestion(deps.db, docs[2]!.itemId, { label: 'analytical', stance: 0 });
  addReview(deps.db, docs[1]!.passageItemIds[0]!, { reviewer: 'ana', action: 'edit', label: 'critical', stance: -2 });
  return { deps, docs };
}

/** The same counts read from the items themselves (what the estimate must equal without reading them). */
function scanned(deps: ReturnType<typeof testDeps>, request: RunRequest) {
  const levels = request.levels ?? ['passage', 'document'];
  const rows = deps.db
    .select({ level: items.level, n: sql<number>`count(*)`, chars: sql<number>`sum(length(coalesce((SELECT text FROM passages p WHERE p.id = ${items.passageId}), (SELECT text FROM documents d WHERE d.id = ${items.documentId}))))` })
    .from(items)
    .where(and(...selectionConditions(levels, request.selection ?? {})))
    .groupBy(items.level)
    .all();
  const by = Object.fromEntries(rows.map((r) => [r.level, r]));
  return { passages: by.passage?.n ?? 0, documents: by.document?.n ?? 0, chars: rows.reduce((n, r) => n + r.chars, 0) };
}

describe('the run estimate', () => {
  it('counts every selection from the aggregates exactly as a scan of the items would', () => {
    const { deps, docs } = corpus();
    const sourceB = docs[2]!.sourceId;
    const requests: RunRequest[] = [
      { provider: 'local' },
      { provider: 'local', levels: ['passage'] },
      { provider: 'local', levels: ['document'], selection: { untaggedOnly: true } },
      { provider: 'local', selection: { sourceIds: [sourceB] } },
      { provider: 'local', selection: { sourceIds: [sourceB], untaggedOnly: true } },
      { provider: 'local', selection: { documentIds: [docs[0]!.id, docs[3]!.id] } },
    ];
    for (const request of requests) {
      const e = estimateRun(deps, request);
      const s = scanned(deps, request);
      expect({ passages: e.passages, documents: e.documents, items: e.items }, JSON.stringify(request)).toEqual({ passages: s.passages, documents: s.documents, items: s.passages + s.documents });
    }
  });

  it('sums characters kept at import, equal to the texts themselves, into the token estimate', async () => {
    const deps = testDeps({ env: { OPENAI_API_KEY: 'sk-test', FRAMESCOPE_MODEL: 'gpt-4o-mini' } });
    const text = 'First paragraph about the customs union.\n\nSecond one, with a zero-width\u200b space and 𝔘nicode.';
    await runImport(deps.db, [bytesSource('a.txt', text)], { origin: 'cli', meta: { source: 'S' } });
    const stored = deps.db.all<{ chars: number; length: number }>(
      sql`SELECT i.chars, length(coalesce(p.text, d.text)) AS length FROM items i JOIN documents d ON d.id = i.document_id LEFT JOIN passages p ON p.id = i.passage_id`,
    );
    expect(stored.length, "the document and its two passages").toBe(3);
    for (const r of stored) expect(r.chars).toBe(r.length);
    const e = estimateRun(deps, { provider: 'openai', levels: ['document'] });
    expect(e).toMatchObject({ items: 1, documents: 1, requests: 1, estimatedTokensOut: 180 });
    expect(e.estimatedTokensIn).toBeGreaterThan(Math.ceil(stored.find((r) => r.length > 60)!.length / 4));
  });

  it('takes a sample at least as large as the selection as all of it, so a sample of 1e12 costs what no sample does', async () => {
    const { deps } = corpus();
    const all = estimateRun(deps, { provider: 'local' });
    expect(estimateRun(deps, { provider: 'local', selection: { sample: 1e12 } })).toEqual(all);
    const three = estimateRun(deps, { provider: 'local', selection: { sample: 3 } });
    expect(three.items).toBe(3);
    expect(estimateRun(deps, { provider: 'local', selection: { sample: 3 } }), 'the same stable sample every time').toEqual(three);
    const { run, job } = createRun(deps, { provider: 'local', selection: { sample: 1e12 } }, 'test');
    await deps.jobs.settled(job.id);
    expect(deps.db.all(sql`SELECT count(*) AS n FROM tagging_run_items WHERE run_id = ${run.id}`)).toEqual([{ n: all.items }]);
    const { app } = testApp();
    const res = await app.request('/api/tagging/estimate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ selection: { sample: 1e12 } }) });
    expect(res.status).toBe(200);
  });

  it('counts as already answered the items this provider, model, prompt and codebook answered for every repeat', async () => {
    const { deps } = corpus();
    const request: RunRequest = { provider: 'local', levels: ['passage'] };
    const before = estimateRun(deps, request);
    expect(before.cached).toBe(0);
    const { job } = createRun(deps, { ...request, selection: { sourceIds: [deps.db.all<{ id: number }>(sql`SELECT id FROM sources WHERE name = 'B'`)[0]!.id] } }, 'test');
    await deps.jobs.settled(job.id);
    expect(estimateRun(deps, request)).toMatchObject({ items: before.items, cached: 2, requests: before.items - 2 });
    expect(estimateRun(deps, { ...request, repeats: 2 }), 'a second repeat is not answered yet').toMatchObject({ cached: 0, requests: before.items * 2 });
  });
});
