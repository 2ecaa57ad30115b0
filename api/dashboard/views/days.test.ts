import { describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.ts';
import { createTestDb } from '../../testing.ts';
import { addReviews, addSuggestions, seedCorpus, type FixtureDocument, type FixtureReview } from '../../fixtures.ts';
import { parseFilters, readsRollups, type DashboardFilters } from '../filters.ts';
import { modelAndPeople } from './agreement.ts';
import { correctedEstimates } from './corrected.ts';
import { splitDays } from './days.ts';
import { framingMix } from './framing.ts';
import { drillDown } from './passages.ts';
import { sourceSimilarity } from './similarity.ts';
import { stanceBySource } from './stance.ts';
import { themesBySource } from './themes.ts';
import { timeline } from './timeline.ts';

const LABELS = ['integrationist', 'critical', 'analytical'];
const THEMES = ['sovereignty', 'sanctions', 'union-state', 'ukraine-war'];

/**
 * Documents dated to many days of 2019-2022 (some on the first or last of a month, on 1 January,
 * or only to a month or a year) and some undated, in three sources; suggestions with themes
 * on every item, and accepts, edits, rejects and a dispute on some.
 */
function buildCorpus(db: Db) {
  let draw = 3;
  const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
  const date = (k: number): string | undefined => {
    const y = 2019 + next(4);
    const m = String(1 + next(12)).padStart(2, '0');
    const day = [1, 2, 14, 15, 16, 28, 30, 31][next(8)]!;
    const dd = String(m === '02' ? Math.min(day, 28) : ['04', '06', '09', '11'].includes(m) ? Math.min(day, 30) : day).padStart(2, '0');
    return k % 17 === 0 ? undefined : k % 11 === 0 ? `${y}` : k % 7 === 0 ? `${y}-${m}` : k % 13 === 0 ? `${y}-01-01` : `${y}-${m}-${dd}`;
  };
  const docs = (n: number, offset: number): FixtureDocument[] =>
    Array.from({ length: n }, (_, k) => ({ title: `doc ${offset + k}`, published: date(offset + k), passages: Array.from({ length: 3 }, (_, p) => ({ text: `passage ${offset + k}.${p}` })) }));
  const seeded = seedCorpus(db, [
    { name: 'Alpha', documents: docs(60, 0) },
    { name: 'Beta', documents: docs(25, 60) },
    { name: 'Gamma', documents: docs(3, 85) },
  ]);
  const all = seeded.flatMap((d) => [d.itemId, ...d.passageItemIds]);
  // Stored in a few statements (addSuggestions, addReviews): one by one, on PostgreSQL, these ~500
  // writes were ~100,000 statements and 44 of the test's 51 s.
  addSuggestions(db, all.map((itemId) => ({ itemId, label: LABELS[next(3)]!, stance: next(5) - 2, themes: THEMES.filter(() => next(3) === 0), provider: next(4) === 0 ? 'openai' : 'local' })));
  const reviews: (FixtureReview & { itemId: number })[] = [];
  all.forEach((itemId, k) => {
    const label = LABELS[next(3)]!;
    const stance = next(5) - 2;
    if (k % 5 === 0) reviews.push({ itemId, reviewer: 'ann', action: 'accept', label, stance, themes: [THEMES[next(4)]!] });
    else if (k % 5 === 1) reviews.push({ itemId, reviewer: 'ann', action: 'edit', label, stance });
    else if (k % 11 === 2) reviews.push({ itemId, reviewer: 'ann', action: 'reject' });
    else if (k % 13 === 3) {
      reviews.push({ itemId, reviewer: 'ann', action: 'accept', label: 'critical', stance: -1 });
      reviews.push({ itemId, reviewer: 'bob', action: 'edit', label: 'analytical', stance: 0 });
    }
  });
  addReviews(db, reviews);
  return seeded;
}

const filtersOf = (db: Db, query: Record<string, string | undefined>): DashboardFilters => parseFilters({ basis: 'final', level: 'passage', ...query } as never, db);

/** Every dashboard view's JSON for a filter state, the drill-down's first page among them. */
function views(db: Db, f: DashboardFilters) {
  return {
    framing: framingMix(db, f),
    stance: stanceBySource(db, f),
    themes: themesBySource(db, f),
    timelineMonth: timeline(db, f, 'month'),
    timelineYear: timeline(db, f, 'year'),
    timelineLargest: timeline(db, f, 'month', 1),
    similarity: sourceSimilarity(db, f, null),
    agreement: modelAndPeople(db, f),
    corrected: correctedEstimates(db, f),
    passages: drillDown(db, f, { label: 'critical', offset: 0, limit: 500 }),
  };
}

describe('day bounds', () => {
  it('split a range into its whole months and the days at each end', () => {
    expect(splitDays({ from: '2020-03-15', to: null })).toEqual({ months: { from: '2020-04-01', to: null }, edges: [{ from: '2020-03-15', to: '2020-03-31' }] });
    expect(splitDays({ from: null, to: '2021-02-10' })).toEqual({ months: { from: null, to: '2021-01-31' }, edges: [{ from: '2021-02-01', to: '2021-02-10' }] });
    expect(splitDays({ from: '2020-12-02', to: '2021-01-30' })).toEqual({ months: null, edges: [{ from: '2020-12-02', to: '2021-01-30' }] });
    expect(splitDays({ from: '2020-02-29', to: '2020-05-31' })).toEqual({ months: { from: '2020-03-01', to: '2020-05-31' }, edges: [{ from: '2020-02-29', to: '2020-02-29' }] });
    expect(splitDays({ from: '2020-01-01', to: '2020-06-30' })).toEqual({ months: { from: '2020-01-01', to: '2020-06-30' }, edges: [] });
    expect(splitDays({ from: '2020-05-03', to: '2020-05-20' })).toEqual({ months: null, edges: [{ from: '2020-05-03', to: '2020-05-20' }] });
  });

  it('give every view from the month rollups and the edge days exactly what a scan of items gives, for random day ranges, bases, levels and sources', () => {
    const db = createTestDb();
    const seeded = buildCorpus(db);
    let draw = 29;
    const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
    const day = () => `${2019 + next(4)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const ranges: Record<string, string>[] = [{ from: '2020-03-15' }, { to: '2021-06-10' }, { from: '2020-01-01', to: '2021-01-01' }, { from: '2019-12-31', to: '2020-01-01' }, { from: '2022-05-03', to: '2022-05-20' }];
    for (let k = 0; k < 20; k++) {
      const [a, b] = [day(), day()].sort();
      ranges.push(k % 3 === 0 ? { from: a! } : k % 3 === 1 ? { to: b! } : { from: a!, to: b! });
    }
    const bases: Record<string, string>[] = [{ basis: 'model' }, { basis: 'people' }, { basis: 'people', includeBulk: '1' }, { basis: 'final' }];
    ranges.forEach((range, k) => {
      const query: Record<string, string> = { ...range, ...bases[k % bases.length]!, level: k % 2 === 0 ? 'passage' : 'document' };
      if (k % 5 === 4) query.sources = `${seeded[0]!.sourceId},${seeded.at(-1)!.sourceId}`;
      if (k % 7 === 6) query.groupBy = 'country';
      const f = filtersOf(db, query);
      expect(readsRollups(f), JSON.stringify(query)).toBe(true);
      expect(JSON.parse(JSON.stringify(views(db, f))), JSON.stringify(query)).toEqual(JSON.parse(JSON.stringify(views(db, { ...f, scan: true }))));
    });
    // The edge days do narrow: over 2020, from the 15th of a month counts fewer items than from
    // its first day and more than from the next month.
    const counted = (from: string) => framingMix(db, filtersOf(db, { from })).rows.reduce((a, r) => a + r.counted, 0);
    const months = Array.from({ length: 12 }, (_, k) => `2020-${String(k + 1).padStart(2, '0')}`);
    const [before, after] = [months.map((m) => counted(`${m}-01`) - counted(`${m}-15`)), months.map((m, k) => counted(`${m}-15`) - counted(k === 11 ? '2021-01-01' : `${months[k + 1]}-01`))];
    for (const d of [...before, ...after]) expect(d).toBeGreaterThanOrEqual(0);
    expect(before.reduce((a, d) => a + d, 0)).toBeGreaterThan(0);
    expect(after.reduce((a, d) => a + d, 0)).toBeGreaterThan(0);
  });
});
