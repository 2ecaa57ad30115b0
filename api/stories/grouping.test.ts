import { describe, expect, it } from 'vitest';
import { seedCorpus } from '../fixtures.ts';
import type { JobView } from '../jobs/view.ts';
import { testApp, testDeps, waitForJob } from '../testing.ts';
import type { StoryDetail } from './detail.ts';
import { startGrouping } from './service.ts';
import { reportIds, storyCorpus } from './testing.ts';

/** Each story's documents (ids sorted), stories in order of their first document. */
function storiesOf(db: ReturnType<typeof testDeps>['db']): number[][] {
  const rows = db.$client.prepare('SELECT story_id, document_id FROM story_documents ORDER BY story_id, document_id').raw().all() as [number, number][];
  const by = new Map<number, number[]>();
  for (const [s, d] of rows) by.set(s, [...(by.get(s) ?? []), d]);
  return [...by.values()].sort((a, b) => a[0]! - b[0]!);
}

describe('story grouping', () => {
  it('links near-identical reports of one event from different outlets and keeps unrelated ones apart', async () => {
    const deps = testDeps();
    const ids = reportIds(seedCorpus(deps.db, storyCorpus()));
    const job = await deps.jobs.settled(startGrouping(deps, {}, 'ana').id);
    expect(job.state, job.error ?? '').toBe('completed');
    expect(storiesOf(deps.db)).toEqual([
      [ids.strikeNorth, ids.strikeDaily, ids.strikeCourier].sort((a, b) => a - b),
      [ids.rateNorth, ids.rateDaily].sort((a, b) => a - b),
      [ids.floodDaily, ids.floodCourier].sort((a, b) => a - b),
    ]);
    const stories = deps.db.$client.prepare('SELECT title, origin, created_by, document_count, source_count, first_published, last_published FROM stories ORDER BY id').all();
    expect(stories).toEqual([
      { title: 'Dockworkers walk out at Valmora port over night-shift pay', origin: 'machine', created_by: `job ${job.id}`, document_count: 3, source_count: 3, first_published: '2025-03-04', last_published: '2025-03-05' },
      { title: 'Drelland central bank raises its main rate to 4.5 percent', origin: 'machine', created_by: `job ${job.id}`, document_count: 2, source_count: 2, first_published: '2025-03-06', last_published: '2025-03-06' },
      { title: 'Kessin river bursts its banks, hundreds evacuated from Lunden', origin: 'machine', created_by: `job ${job.id}`, document_count: 2, source_count: 2, first_published: '2025-03-10', last_published: '2025-03-11' },
    ]);
    expect(job.result).toMatchObject({ documents: 9, undated: 0, copies: 0, stories: 3, created: 3, kept: 0, dropped: 0 });
  });

  it('keeps reports of one event apart when they lie further apart than the window', async () => {
    const deps = testDeps();
    const ids = reportIds(seedCorpus(deps.db, storyCorpus()));
    await deps.jobs.settled(startGrouping(deps, { windowDays: 0 }, 'ana').id);
    expect(storiesOf(deps.db)).toEqual([[ids.strikeNorth, ids.strikeDaily].sort((a, b) => a - b), [ids.rateNorth, ids.rateDaily].sort((a, b) => a - b)]);
  });

  it('keeps story ids across a re-grouping that finds the same stories', async () => {
    const deps = testDeps();
    seedCorpus(deps.db, storyCorpus());
    await deps.jobs.settled(startGrouping(deps, {}, 'ana').id);
    const before = deps.db.$client.prepare('SELECT id, title FROM stories ORDER BY id').all();
    const again = await deps.jobs.settled(startGrouping(deps, {}, 'ana').id);
    expect(deps.db.$client.prepare('SELECT id, title FROM stories ORDER BY id').all()).toEqual(before);
    expect(again.result).toMatchObject({ created: 0, kept: 3, dropped: 0 });
  });

  it('puts a syndicated copy in its original\'s story, counted once on the story page unless asked', async () => {
    const { app, deps } = testApp();
    const seeded = seedCorpus(deps.db, [...storyCorpus(), { name: 'Wire Reprint', documents: [{ title: 'Valmora port at a standstill as dockworkers strike over night-shift bonus', published: '2025-03-04', passages: [{ text: 'copy' }] }] }]);
    const ids = reportIds(seeded);
    const copy = seeded.at(-1)!.id;
    deps.db.$client.prepare('UPDATE documents SET duplicate_of = ?, duplicate_similarity = 0.95 WHERE id = ?').run(ids.strikeDaily, copy);
    const job = await waitForJob(app, ((await (await app.request('/api/stories/group', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json()) as JobView).id);
    expect(job.result).toMatchObject({ documents: 10, copies: 1, stories: 3 });
    const storyId = deps.db.$client.prepare('SELECT story_id FROM story_documents WHERE document_id = ?').pluck().get(copy) as number;
    expect(deps.db.$client.prepare('SELECT story_id FROM story_documents WHERE document_id = ?').pluck().get(ids.strikeDaily)).toBe(storyId);
    const detail = (await (await app.request(`/api/stories/${storyId}`)).json()) as StoryDetail;
    expect(detail.documents.map((d) => [d.source, d.method, d.counted])).toEqual([
      ['Daily Ledger', 'similarity', true],
      ['Northern Herald', 'similarity', true],
      ['Wire Reprint', 'syndicated', false],
      ['Coastal Courier', 'similarity', true],
    ]);
    expect(detail.coverage.find((c) => c.grouping === 'country')!.values).toEqual([{ value: '', sources: 3, documents: 3 }]);
    const included = (await (await app.request(`/api/stories/${storyId}?syndicated=include`)).json()) as StoryDetail;
    expect(included.coverage.find((c) => c.grouping === 'country')!.values).toEqual([{ value: '', sources: 4, documents: 4 }]);
  });

  it('leaves documents dated only to a month out of grouping, and counts them', async () => {
    const deps = testDeps();
    const corpus = storyCorpus();
    corpus[2]!.documents[0]!.published = '2025-03';
    const ids = reportIds(seedCorpus(deps.db, corpus));
    const job = await deps.jobs.settled(startGrouping(deps, {}, 'ana').id);
    expect(job.result).toMatchObject({ documents: 9, undated: 1 });
    expect(storiesOf(deps.db)[0]).toEqual([ids.strikeNorth, ids.strikeDaily].sort((a, b) => a - b));
  });
});
