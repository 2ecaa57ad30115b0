import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { bootstrapInterval } from '../metrics/bootstrap.ts';
import { testApp } from '../testing.ts';
import { correctedEstimate, withinScale } from './corrected.ts';
import { rebuildRollups } from './rollups.ts';
import { BOOTSTRAP_ITERATIONS, BOOTSTRAP_SEED } from './views/stance.ts';
import type { Db } from '../../db/client.ts';

/**
 * Alpha: two dated documents (one with an excluded passage that has a suggestion anyway);
 * Beta: one document dated to the year, with a disputed passage.
 */
function seedTwoSources(db: Db) {
  const [a1, a2, b1] = seedCorpus(db, [
    {
      name: 'Alpha',
      documents: [
        { title: 'A one', published: '2024-03-05', passages: [{ text: 'a1 p0' }, { text: 'a1 p1' }, { text: 'Donate now', excluded: true }] },
        { title: 'A two', published: '2024-04', passages: [{ text: 'a2 p0' }, { text: 'a2 p1' }] },
      ],
    },
    { name: 'Beta', documents: [{ title: 'B one', published: '2023', passages: [{ text: 'b1 p0' }, { text: 'b1 p1' }, { text: 'b1 p2' }] }] },
  ]);
  const [a1p0, a1p1, a1p2] = a1!.passageItemIds as [number, number, number];
  const [a2p0, a2p1] = a2!.passageItemIds as [number, number];
  const [b1p0, b1p1, b1p2] = b1!.passageItemIds as [number, number, number];
  addSuggestion(db, a1p0, { label: 'integrationist', stance: 2, themes: ['sovereignty'] });
  addSuggestion(db, a1p1, { label: 'critical', stance: -1, themes: ['sanctions'] });
  addSuggestion(db, a1p2, { label: 'integrationist', stance: 2, themes: ['sovereignty'] });
  addSuggestion(db, a2p0, { label: 'integrationist', stance: 1, themes: ['sovereignty', 'union-state'] });
  addSuggestion(db, a2p1, { label: 'analytical', stance: 0 });
  addSuggestion(db, b1p0, { label: 'critical', stance: -2, themes: ['sanctions'] });
  addSuggestion(db, b1p1, { label: 'critical', stance: -1, provider: 'openai', model: 'gpt-test' });
  addSuggestion(db, b1p2, { label: 'analytical', stance: 0, themes: ['sovereignty'] });
  addReview(db, a1p1, { reviewer: 'ann', action: 'edit', label: 'integrationist', stance: 1, themes: ['sanctions'] });
  addReview(db, b1p0, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -2, themes: ['sanctions'] });
  addReview(db, b1p2, { reviewer: 'ann', action: 'accept', label: 'analytical', stance: 0 });
  addReview(db, b1p2, { reviewer: 'bob', action: 'edit', label: 'critical', stance: -1 });
  return { a1p0, a1p1, a1p2, a2p0, a2p1, b1p0, b1p1, b1p2 };
}

async function get<T>(app: ReturnType<typeof testApp>['app'], path: string): Promise<T> {
  const res = await app.request(path);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as T;
}

type Framing = { statement: string; rows: { source: string; counted: number; counts: Record<string, number>; shares: Record<string, number>; meanStance: number | null; disputed: number; unlabelled: number; small: boolean }[] };

describe('dashboard aggregates on fixtures', () => {
  it('computes the model framing mix per source without excluded passages', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<Framing>(app, '/api/dashboard/framing?basis=model');
    expect(body.statement).toBe('Model suggestions only (no human decision counted).');
    expect(body.rows.map(({ source, counted, counts, shares, meanStance, disputed, small }) => ({ source, counted, counts, shares, meanStance, disputed, small }))).toEqual([
      { source: 'Alpha', counted: 4, counts: { integrationist: 2, critical: 1, analytical: 1 }, shares: { integrationist: 0.5, critical: 0.25, analytical: 0.25 }, meanStance: 0.5, disputed: 0, small: true },
      { source: 'Beta', counted: 3, counts: { integrationist: 0, critical: 2, analytical: 1 }, shares: { integrationist: 0, critical: 2 / 3, analytical: 1 / 3 }, meanStance: -1, disputed: 1, small: true },
    ]);
  });

  it('counts human decisions only under the people basis and leaves disputed items out', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<Framing>(app, '/api/dashboard/framing?basis=people');
    expect(body.rows.map((r) => [r.source, r.counted, r.counts, r.meanStance, r.disputed, r.unlabelled])).toEqual([
      ['Alpha', 1, { integrationist: 1, critical: 0, analytical: 0 }, 1, 0, 3],
      ['Beta', 1, { integrationist: 0, critical: 1, analytical: 0 }, -2, 1, 1],
    ]);
  });

  it('leaves bulk accepts out of the people basis unless includeBulk=1 asks, and says which in the statement', async () => {
    const { app, deps } = testApp();
    const { a1p0, a2p0 } = seedTwoSources(deps.db);
    addReview(deps.db, a1p0, { reviewer: 'bea', action: 'accept', kind: 'bulk', label: 'integrationist', stance: 2, themes: ['sovereignty'] });
    addReview(deps.db, a2p0, { reviewer: 'bea', action: 'accept', kind: 'bulk', label: 'integrationist', stance: 1 });
    const people = await get<Framing & { basis: string }>(app, '/api/dashboard/framing?basis=people');
    expect(people.basis).toBe('people');
    expect(people.statement).toContain('bulk accepts and imported labels left out');
    expect(people.rows.map((r) => [r.source, r.counted, r.counts])).toEqual([
      ['Alpha', 1, { integrationist: 1, critical: 0, analytical: 0 }],
      ['Beta', 1, { integrationist: 0, critical: 1, analytical: 0 }],
    ]);
    const withBulk = await get<Framing & { basis: string }>(app, '/api/dashboard/framing?basis=people&includeBulk=1');
    expect(withBulk.basis).toBe('people-bulk');
    expect(withBulk.statement).toContain('bulk accepts of model labels and imported labels included');
    expect(withBulk.rows.map((r) => [r.source, r.counted, r.counts, r.meanStance])).toEqual([
      ['Alpha', 3, { integrationist: 3, critical: 0, analytical: 0 }, (1 + 2 + 1) / 3],
      ['Beta', 1, { integrationist: 0, critical: 1, analytical: 0 }, -2],
    ]);
    const themes = await get<{ cells: { theme: string; count: number }[] }>(app, '/api/dashboard/themes?basis=people');
    expect(themes.cells.map((c) => [c.theme, c.count])).toEqual([['sanctions', 1], ['sanctions', 1]]);
  });

  it('takes the reviewed label where reviewed and the suggestion otherwise under the final basis', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<Framing>(app, '/api/dashboard/framing?basis=final');
    expect(body.rows.map((r) => [r.source, r.counted, r.counts, r.meanStance, r.disputed])).toEqual([
      ['Alpha', 4, { integrationist: 3, critical: 0, analytical: 1 }, 1, 0],
      ['Beta', 2, { integrationist: 0, critical: 2, analytical: 0 }, -1.5, 1],
    ]);
  });

  it('narrows every view by source, date range, provider and review status', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const betaId = deps.db.get<{ id: number }>(sql`SELECT id FROM sources WHERE name = 'Beta'`).id;
    const bySource = await get<Framing>(app, `/api/dashboard/framing?basis=model&sources=${betaId}`);
    expect(bySource.rows.map((r) => r.source)).toEqual(['Beta']);
    // A name means the same source as its id, as in the review queue and the export.
    const byName = await get<Framing>(app, '/api/dashboard/framing?basis=model&sources=Beta');
    expect(byName.rows.map((r) => [r.source, r.counted])).toEqual(bySource.rows.map((r) => [r.source, r.counted]));
    const byDate = await get<Framing>(app, '/api/dashboard/framing?basis=model&from=2024-04&to=2024');
    expect(byDate.rows.map((r) => [r.source, r.counted])).toEqual([['Alpha', 2]]);
    const byProvider = await get<Framing>(app, '/api/dashboard/framing?basis=model&provider=openai&model=gpt-test');
    expect(byProvider.rows.map((r) => [r.source, r.counts])).toEqual([['Beta', { integrationist: 0, critical: 1, analytical: 0 }]]);
    const byStatus = await get<Framing>(app, '/api/dashboard/framing?basis=model&status=reviewed,disputed');
    expect(byStatus.rows.map((r) => [r.source, r.counted])).toEqual([
      ['Alpha', 1],
      ['Beta', 2],
    ]);
  });

  it('refuses a malformed filter with a specific message', async () => {
    const { app } = testApp();
    const res = await app.request('/api/dashboard/framing?from=2024-13');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_input', message: 'from: month out of range in "2024-13"' } });
    const bad = await app.request('/api/dashboard/framing?status=done');
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('status: "done" is not one of unreviewed, reviewed, rejected, disputed, adjudicated');
    const bulkOnModel = await app.request('/api/dashboard/framing?basis=model&includeBulk=1');
    expect(bulkOnModel.status).toBe(400);
    expect(((await bulkOnModel.json()) as { error: { message: string } }).error.message).toBe('includeBulk: only the people basis leaves bulk accepts out (basis=model counts no human decision)');
    // A chart of no sources is a mistake, not an empty answer.
    for (const view of ['timeline', 'similarity']) {
      const none = await app.request(`/api/dashboard/${view}?limit=0`);
      expect(none.status).toBe(400);
      expect(await none.json()).toEqual({ error: { code: 'invalid_input', message: 'limit: expected a whole number from 1, or "all"' } });
    }
  });

  it('gives mean stance with a bootstrap interval over documents', async () => {
    const { app, deps } = testApp();
    const [d1, d2, d3] = seedCorpus(deps.db, [
      { name: 'Gamma', documents: [{ title: 'g1', passages: [{ text: 'x' }, { text: 'y' }] }, { title: 'g2', passages: [{ text: 'z' }] }, { title: 'g3', passages: [{ text: 'w' }, { text: 'v' }] }] },
    ]);
    const stances = [
      [d1!, [2, 1]],
      [d2!, [-1]],
      [d3!, [0, 2]],
    ] as const;
    for (const [doc, values] of stances) values.forEach((s, k) => addSuggestion(deps.db, doc.passageItemIds[k]!, { label: 'analytical', stance: s }));
    const body = await get<{ rows: { source: string; items: number; documents: number; mean: number; low: number; high: number; method: string; small: boolean }[] }>(
      app,
      '/api/dashboard/stance?basis=model',
    );
    const units: [number, number][] = [
      [3, 2],
      [-1, 1],
      [2, 2],
    ];
    const expected = bootstrapInterval(units, (s) => s.reduce((a, u) => a + u[0], 0) / s.reduce((a, u) => a + u[1], 0), { iterations: BOOTSTRAP_ITERATIONS, seed: BOOTSTRAP_SEED });
    expect(body.rows).toEqual([{ sourceId: d1!.sourceId, group: null, source: 'Gamma', items: 5, documents: 3, mean: 0.8, low: expected.low, high: expected.high, method: 'bootstrap', small: true }]);
    expect(expected.low).toBeLessThan(0.8);
    expect(expected.high).toBeGreaterThan(0.8);
  });

  it('gives the interval of the documents as they are now when a stance changes, and the same one when asked again', async () => {
    const { app, deps } = testApp();
    const [d1, d2] = seedCorpus(deps.db, [{ name: 'Gamma', documents: [{ title: 'g1', passages: [{ text: 'x' }, { text: 'y' }] }, { title: 'g2', passages: [{ text: 'z' }] }] }]);
    addSuggestion(deps.db, d1!.passageItemIds[0]!, { label: 'analytical', stance: 2 });
    addSuggestion(deps.db, d1!.passageItemIds[1]!, { label: 'analytical', stance: 1 });
    addSuggestion(deps.db, d2!.passageItemIds[0]!, { label: 'analytical', stance: -1 });
    const ratio = (s: readonly [number, number][]) => s.reduce((a, u) => a + u[0], 0) / s.reduce((a, u) => a + u[1], 0);
    const interval = (units: [number, number][]) => bootstrapInterval(units, ratio, { iterations: BOOTSTRAP_ITERATIONS, seed: BOOTSTRAP_SEED });
    type Stance = { rows: { low: number; high: number }[] };
    const before = interval([[3, 2], [-1, 1]]);
    expect((await get<Stance>(app, '/api/dashboard/stance?basis=model')).rows[0]).toMatchObject({ low: before.low, high: before.high });
    addSuggestion(deps.db, d2!.passageItemIds[0]!, { label: 'analytical', stance: 2 });
    const after = interval([[3, 2], [2, 1]]);
    expect([after.low, after.high]).not.toEqual([before.low, before.high]);
    for (let k = 0; k < 2; k++) expect((await get<Stance>(app, '/api/dashboard/stance?basis=model')).rows[0]).toMatchObject({ low: after.low, high: after.high });
  });

  it('resamples the passages of a single-document source and says so', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<{ rows: { source: string; mean: number; low: number; high: number; method: string; small: boolean }[] }>(app, '/api/dashboard/stance?basis=model');
    const beta = body.rows.find((r) => r.source === 'Beta')!;
    const expected = bootstrapInterval(
      [
        [-2, 1],
        [-1, 1],
        [0, 1],
      ] as [number, number][],
      (s) => s.reduce((a, u) => a + u[0], 0) / s.reduce((a, u) => a + u[1], 0),
      { iterations: BOOTSTRAP_ITERATIONS, seed: BOOTSTRAP_SEED },
    );
    expect(beta).toMatchObject({ mean: -1, low: expected.low, high: expected.high, method: 'bootstrap-passages', small: true });
  });

  it('shares themes per source and per label, with counts', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<{ cells: { sourceId: number; theme: string; count: number; share: number }[]; labelCells: { label: string; theme: string; count: number; share: number }[]; sources: { source: string; counted: number }[] }>(
      app,
      '/api/dashboard/themes?basis=model',
    );
    const names = new Map(body.sources.map((s, k) => [k, s.source]));
    expect(names.size).toBe(2);
    const alphaId = deps.db.get<{ id: number }>(sql`SELECT id FROM sources WHERE name = 'Alpha'`).id;
    const byKey = (cells: { sourceId: number; theme: string; count: number; share: number }[]) =>
      Object.fromEntries(cells.map((c) => [`${c.sourceId === alphaId ? 'Alpha' : 'Beta'}:${c.theme}`, [c.count, c.share]]));
    expect(byKey(body.cells)).toEqual({
      'Alpha:sovereignty': [2, 0.5],
      'Alpha:sanctions': [1, 0.25],
      'Alpha:union-state': [1, 0.25],
      'Beta:sanctions': [1, 1 / 3],
      'Beta:sovereignty': [1, 1 / 3],
    });
    expect(Object.fromEntries(body.labelCells.map((c) => [`${c.label}:${c.theme}`, [c.count, c.share]]))).toEqual({
      'integrationist:sovereignty': [2, 1],
      'integrationist:union-state': [1, 0.5],
      'critical:sanctions': [2, 2 / 3],
      'analytical:sovereignty': [1, 0.5],
    });
  });

  it('places documents in months only when their date is precise enough', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const month = await get<{ rows: { source: string; period: string; counts: Record<string, number> }[]; undated: number }>(app, '/api/dashboard/timeline?basis=model&granularity=month');
    expect(month.rows.map((r) => [r.source, r.period, r.counts])).toEqual([
      ['Alpha', '2024-03', { integrationist: 1, critical: 1, analytical: 0 }],
      ['Alpha', '2024-04', { integrationist: 1, critical: 0, analytical: 1 }],
    ]);
    expect(month.undated).toBe(3);
    const year = await get<{ rows: { source: string; period: string; counted: number }[]; undated: number }>(app, '/api/dashboard/timeline?basis=model&granularity=year');
    expect(year.rows.map((r) => [r.source, r.period, r.counted])).toEqual([
      ['Beta', '2023', 3],
      ['Alpha', '2024', 4],
    ]);
    expect(year.undated).toBe(0);
  });

  it('compares sources by Jensen-Shannon distance of their profiles', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<{ sources: { source: string }[]; framing: number[][] }>(app, '/api/dashboard/similarity?basis=model');
    expect(body.sources.map((s) => s.source)).toEqual(['Alpha', 'Beta']);
    // Alpha (1/2, 1/4, 1/4) vs Beta (0, 2/3, 1/3), base-2 JS divergence, then the square root.
    const p = [0.5, 0.25, 0.25];
    const q = [0, 2 / 3, 1 / 3];
    const kl = (x: number[], m: number[]) => x.reduce((s, v, k) => (v > 0 ? s + v * Math.log2(v / m[k]!) : s), 0);
    const m = p.map((v, k) => (v + q[k]!) / 2);
    const expected = Math.sqrt(0.5 * kl(p, m) + 0.5 * kl(q, m));
    expect(body.framing[0]![0]).toBe(0);
    expect(body.framing[0]![1]).toBeCloseTo(expected, 12);
    expect(body.framing[1]![0]).toBeCloseTo(expected, 12);
  });

  it('shows suggested against reviewed labels with agreement and progress per source', async () => {
    const { app, deps } = testApp();
    seedTwoSources(deps.db);
    const body = await get<{
      confusion: { suggested: string; reviewed: string; count: number }[];
      pairs: number;
      percentAgreement: number;
      cohenKappa: number;
      meanAbsStanceDifference: number;
      progress: { source: string; items: number; suggested: number; unreviewed: number; reviewed: number; disputed: number; randomSample: number }[];
    }>(app, '/api/dashboard/agreement');
    expect(body.confusion).toEqual([
      { suggested: 'critical', reviewed: 'critical', count: 1 },
      { suggested: 'critical', reviewed: 'integrationist', count: 1 },
    ]);
    expect([body.pairs, body.percentAgreement, body.cohenKappa, body.meanAbsStanceDifference]).toEqual([2, 0.5, 0, 1]);
    expect(body.progress.map(({ source, items, suggested, unreviewed, reviewed, disputed, randomSample }) => [source, items, suggested, unreviewed, reviewed, disputed, randomSample])).toEqual([
      ['Alpha', 4, 4, 3, 1, 0, 0],
      ['Beta', 3, 3, 1, 1, 1, 0],
    ]);
  });

  it('lists the passages behind a bar, a theme cell, a period and a confusion cell', async () => {
    const { app, deps } = testApp();
    const ids = seedTwoSources(deps.db);
    const alphaId = deps.db.get<{ id: number }>(sql`SELECT id FROM sources WHERE name = 'Alpha'`).id;
    type List = { total: number; items: { itemId: number; text: string; label: string; documentTitle: string }[] };
    const bar = await get<List>(app, `/api/dashboard/passages?basis=model&sourceId=${alphaId}&label=integrationist`);
    expect([bar.total, bar.items.map((i) => [i.itemId, i.text, i.label, i.documentTitle])]).toEqual([
      2,
      [
        [ids.a1p0, 'a1 p0', 'integrationist', 'A one'],
        [ids.a2p0, 'a2 p0', 'integrationist', 'A two'],
      ],
    ]);
    // Pages of one source's cell follow document order.
    const second = await get<List>(app, `/api/dashboard/passages?basis=model&sourceId=${alphaId}&label=integrationist&offset=1&limit=1`);
    expect([second.total, second.items.map((i) => i.itemId)]).toEqual([2, [ids.a2p0]]);
    const theme = await get<List>(app, '/api/dashboard/passages?basis=model&theme=sovereignty');
    expect(theme.items.map((i) => i.itemId)).toEqual([ids.a1p0, ids.a2p0, ids.b1p2]);
    const period = await get<List>(app, '/api/dashboard/passages?basis=model&period=2024-04&granularity=month');
    expect(period.items.map((i) => i.itemId)).toEqual([ids.a2p0, ids.a2p1]);
    const cell = await get<List>(app, '/api/dashboard/passages?suggested=critical&reviewed=integrationist');
    expect(cell.items.map((i) => i.itemId)).toEqual([ids.a1p1]);
  });

  it('corrects model shares with the random reviewed sample only', async () => {
    const { app, deps } = testApp();
    const [doc] = seedCorpus(deps.db, [{ name: 'Delta', documents: [{ title: 'd', passages: [{ text: '1' }, { text: '2' }, { text: '3' }, { text: '4' }] }] }]);
    const [i1, i2, i3, i4] = doc!.passageItemIds as [number, number, number, number];
    addSuggestion(deps.db, i1, { label: 'integrationist', stance: 2 });
    addSuggestion(deps.db, i2, { label: 'integrationist', stance: 1 });
    addSuggestion(deps.db, i3, { label: 'critical', stance: -1 });
    addSuggestion(deps.db, i4, { label: 'analytical', stance: 0 });
    const r1 = addReview(deps.db, i1, { reviewer: 'ann', action: 'edit', label: 'critical', stance: -1 });
    const r3 = addReview(deps.db, i3, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1 });
    addReview(deps.db, i4, { reviewer: 'ann', action: 'edit', label: 'integrationist', stance: 2 });
    deps.db.run(sql`UPDATE reviews SET queue_order = 'random' WHERE id IN (${r1}, ${r3})`);
    // Written around the state functions, so the rollups are rebuilt as after any direct write.
    rebuildRollups(deps.db);
    const body = await get<{ rows: { n: number; nSample: number; labels: Record<string, unknown>; stance: unknown }[] }>(app, '/api/dashboard/corrected');
    expect(body.rows).toHaveLength(1);
    const row = body.rows[0]!;
    expect([row.n, row.nSample]).toEqual([4, 2]);
    // Shares and their intervals are kept inside 0..1, the stance inside -2..2.
    // integrationist: Ŷ = (1,1,0,0); sample items 1 and 3 with D = (0−1, 0−0).
    expect(row.labels.integrationist).toEqual(withinScale(correctedEstimate({ n: 4, sumModel: 2, sumModelSq: 2, nSample: 2, sumDiff: -1, sumDiffSq: 1, sumModelDiff: -1 }), 0, 1));
    // critical: Ŷ = (0,0,1,0); D = (1−0, 1−1).
    expect(row.labels.critical).toEqual(withinScale(correctedEstimate({ n: 4, sumModel: 1, sumModelSq: 1, nSample: 2, sumDiff: 1, sumDiffSq: 1, sumModelDiff: 0 }), 0, 1));
    // stance: Ŷ = (2,1,−1,0); D = (−1−2, −1−(−1)).
    expect(row.stance).toEqual(withinScale(correctedEstimate({ n: 4, sumModel: 2, sumModelSq: 6, nSample: 2, sumDiff: -3, sumDiffSq: 9, sumModelDiff: -6 }), -2, 2));
    expect((row.labels.integrationist as { corrected: { low: number } }).corrected.low).toBe(0);
    expect((row.labels.integrationist as { corrected: { estimate: number } }).corrected.estimate).toBe(0);
  });

  it('answers every view on an empty database with empty rows', async () => {
    const { app } = testApp();
    for (const view of ['framing', 'stance', 'timeline', 'corrected']) {
      expect((await get<{ rows: unknown[] }>(app, `/api/dashboard/${view}`)).rows).toEqual([]);
    }
    const meta = await get<{ totals: { items: number }; codebook: { labels: { id: string }[] } }>(app, '/api/dashboard/meta');
    expect(meta.totals.items).toBe(0);
    expect(meta.codebook.labels.map((l) => l.id)).toEqual(['integrationist', 'critical', 'analytical']);
  });
});
