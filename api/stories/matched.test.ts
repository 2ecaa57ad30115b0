import { describe, expect, it } from 'vitest';
import { DashboardQuerySchema, parseFilters } from '../dashboard/filters.ts';
import { addSuggestion, seedCorpus } from '../fixtures.ts';
import { setGroups } from '../sources/groups.ts';
import { testDeps } from '../testing.ts';
import { compareOverStories } from './matched.ts';
import { groupSides } from './matched.ts';
import { startGrouping } from './service.ts';
import { reportIds, storyCorpus } from './testing.ts';

/** Each report's document-level label and stance. */
const LABELS = {
  strikeNorth: ['critical', -1],
  strikeDaily: ['critical', -2],
  floodDaily: ['analytical', 0],
  rateNorth: ['integrationist', 2],
  rateDaily: ['integrationist', 1],
  budgetNorth: ['integrationist', 2],
  strikeCourier: ['critical', -1],
  floodCourier: ['critical', -1],
  strikeLater: ['analytical', 0],
} as const;

describe('the story-matched comparison', () => {
  it('compares two groups only over the stories both covered, beside every document, and lists the gaps', async () => {
    const deps = testDeps();
    const seeded = seedCorpus(deps.db, storyCorpus());
    const ids = reportIds(seeded);
    for (const [key, [label, stance]] of Object.entries(LABELS)) addSuggestion(deps.db, seeded.find((d) => d.id === ids[key as keyof typeof ids])!.itemId, { label, stance });
    // Northern Herald and Daily Ledger are state-aligned, Coastal Courier independent.
    deps.db.transaction((tx) => {
      seeded.forEach((d) => setGroups(tx, d.sourceId, { alignment: d.sourceId === seeded[0]!.sourceId || d.sourceId === seeded[3]!.sourceId ? 'state' : 'independent' }));
    });
    await deps.jobs.settled(startGrouping(deps, {}, 'ana').id);
    const f = parseFilters(DashboardQuerySchema.parse({ basis: 'model', level: 'document', groupBy: 'alignment', syndicated: 'exclude' }), deps.db);
    const [a, b] = groupSides(deps.db, f, 'state', 'independent');
    const result = compareOverStories(deps.db, f, a, b);
    const share = (c: typeof result.all, label: string) => c.labels.find((l) => l.label === label)!;

    // Both covered the strike and the flood; only the state-aligned outlets the rate rise.
    expect(result.stories).toEqual({ matched: 2, onlyA: 1, onlyB: 0 });
    expect(result.gaps.onlyA).toEqual([{ storyId: expect.any(Number), title: 'Drelland central bank raises its main rate to 4.5 percent', firstPublished: '2025-03-06', documents: 2, sources: 2 }]);
    // Matched: state strikeNorth, strikeDaily, floodDaily (critical 2 of 3, stance -1); independent strikeCourier, floodCourier (critical 2 of 2, stance -1).
    expect([result.matched.a.documents, result.matched.b.documents]).toEqual([3, 2]);
    expect(share(result.matched, 'critical')).toMatchObject({ a: 2 / 3, b: 1, difference: 2 / 3 - 1 });
    expect(share(result.matched, 'analytical')).toMatchObject({ a: 1 / 3, b: 0 });
    expect(result.matched.stance).toMatchObject({ a: -1, b: -1, difference: 0 });
    // All: six state documents (critical 2, integrationist 3, analytical 1; stance 2/6) against three independent ones (critical 2, analytical 1; stance -2/3).
    expect([result.all.a.documents, result.all.b.documents]).toEqual([6, 3]);
    expect(share(result.all, 'critical')).toMatchObject({ a: 2 / 6, b: 2 / 3 });
    expect(share(result.all, 'integrationist')).toMatchObject({ a: 3 / 6, b: 0 });
    expect(result.all.stance.a).toBeCloseTo(1 / 3, 12);
    expect(result.all.stance.b).toBeCloseTo(-2 / 3, 12);
    expect(result.matched.statement).toBe(result.all.statement);
  });
});
