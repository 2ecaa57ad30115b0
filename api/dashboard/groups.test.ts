import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { jensenShannonDistance } from './similarity.ts';

type App = ReturnType<typeof testApp>['app'];

async function get<T>(app: App, path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

async function patch(app: App, id: number, body: unknown) {
  const res = await app.request(`/api/sources/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

/**
 * Four outlets: Alpha and Beta state-aligned, Gamma independent, Delta in no alignment group;
 * Alpha and Gamma in RU, Beta in BY. Passages carry labels, stances and themes; Gamma has a
 * human decision.
 */
async function seedGroups(app: App, db: Db) {
  const docs = seedCorpus(db, [
    {
      name: 'Alpha',
      documents: [
        { title: 'A1', published: '2024-03-05', passages: [{ text: 'a1 p0' }, { text: 'a1 p1' }, { text: 'a1 p2' }] },
        { title: 'A2', published: '2024-04-02', passages: [{ text: 'a2 p0' }, { text: 'a2 p1' }] },
      ],
    },
    { name: 'Beta', documents: [{ title: 'B1', published: '2024-03-10', passages: [{ text: 'b1 p0' }, { text: 'b1 p1' }] }] },
    {
      name: 'Gamma',
      documents: [
        { title: 'G1', published: '2024-03-11', passages: [{ text: 'g1 p0' }, { text: 'g1 p1' }] },
        { title: 'G2', published: '2024-05-01', passages: [{ text: 'g2 p0' }, { text: 'g2 p1' }, { text: 'g2 p2' }] },
      ],
    },
    { name: 'Delta', documents: [{ title: 'D1', published: '2024-03-12', passages: [{ text: 'd1 p0' }] }] },
  ]);
  const plan: [number, 'integrationist' | 'critical' | 'analytical', number, string[]][][] = [
    [[0, 'integrationist', 2, ['sovereignty']], [1, 'integrationist', 1, []], [2, 'critical', -1, ['sanctions']]],
    [[0, 'integrationist', 2, ['sovereignty', 'union-state']], [1, 'analytical', 0, []]],
    [[0, 'integrationist', 1, ['union-state']], [1, 'critical', -2, ['sanctions']]],
    [[0, 'critical', -2, ['sanctions']], [1, 'critical', -1, []]],
    [[0, 'analytical', 0, ['sovereignty']], [1, 'critical', -1, ['sanctions']], [2, 'integrationist', 1, []]],
    [[0, 'critical', -1, ['sanctions']]],
  ];
  plan.forEach((passages, d) => {
    for (const [k, label, stance, themes] of passages) addSuggestion(db, docs[d]!.passageItemIds[k]!, { label, stance, themes });
  });
  addReview(db, docs[3]!.passageItemIds[1]!, { reviewer: 'ann', action: 'edit', label: 'analytical', stance: 0 });
  const [alpha, beta, gamma, delta] = [docs[0]!.sourceId, docs[2]!.sourceId, docs[3]!.sourceId, docs[5]!.sourceId];
  await patch(app, alpha, { country: 'RU', groups: { alignment: 'state-aligned' } });
  await patch(app, beta, { country: 'BY', groups: { alignment: 'state-aligned' } });
  await patch(app, gamma, { country: 'RU', groups: { alignment: 'independent', ownership: 'private' } });
  await patch(app, delta, { groups: { ownership: 'private' } });
  return { alpha, beta, gamma, delta, docs };
}

type Row = { sourceId: number | null; source: string; group: string | null; [k: string]: unknown };

/** Sums the numeric fields (and per-label records) of rows, as a group's row should hold them. */
function summed(rows: Row[], fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const values = rows.map((r) => r[f]);
    if (typeof values[0] === 'number') out[f] = (values as number[]).reduce((a, v) => a + v, 0);
    else {
      const acc: Record<string, number> = {};
      for (const v of values as Record<string, number>[]) for (const [k, n] of Object.entries(v)) acc[k] = (acc[k] ?? 0) + n;
      out[f] = acc;
    }
  }
  return out;
}

const pick = (row: Row, fields: string[]) => Object.fromEntries(fields.map((f) => [f, row[f]]));

describe('outlet groups on the dashboard', () => {
  for (const [path, filter] of [
    ['rollups', ''],
    ['scan', '&from=2000'],
  ] as const) {
    it(`gives each group the sums of its sources in framing, stance, themes, review progress and corrected estimates (${path})`, async () => {
      const { app, deps } = testApp();
      await seedGroups(app, deps.db);
      const views: [string, (b: Record<string, unknown>) => Row[], string[]][] = [
        ['framing?basis=model', (b) => b.rows as Row[], ['counted', 'counts', 'disputed', 'unlabelled', 'other']],
        ['framing?basis=final', (b) => b.rows as Row[], ['counted', 'counts', 'disputed', 'unlabelled']],
        ['stance?basis=final', (b) => b.rows as Row[], ['items', 'documents']],
        ['themes?basis=model', (b) => b.sources as Row[], ['counted']],
        ['agreement?level=passage', (b) => b.progress as Row[], ['items', 'suggested', 'unreviewed', 'reviewed', 'disputed', 'randomSample']],
        ['corrected?level=passage', (b) => b.rows as Row[], ['n', 'nSample']],
      ];
      for (const [view, rowsOf, fields] of views) {
        const bySource = rowsOf(await get(app, `/api/dashboard/${view}${filter}`));
        const byGroup = rowsOf(await get(app, `/api/dashboard/${view}${filter}&groupBy=alignment`));
        const members = { 'state-aligned': ['Alpha', 'Beta'], independent: ['Gamma'], '': ['Delta'] };
        expect(byGroup.map((r) => [r.source, r.group, r.sourceId]).sort(), view).toEqual([
          ['(no alignment)', '', null],
          ['independent', 'independent', null],
          ['state-aligned', 'state-aligned', null],
        ]);
        for (const [group, names] of Object.entries(members)) {
          const row = byGroup.find((r) => r.group === group)!;
          expect(pick(row, fields), `${view}: ${group}`).toEqual(summed(bySource.filter((r) => names.includes(r.source)), fields));
        }
      }
    });
  }

  it('weights a group mean by its items: the mean stance of state-aligned outlets pools their passages', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    const framing = await get<{ rows: Row[] }>(app, '/api/dashboard/framing?basis=model&groupBy=alignment');
    // Alpha 2+1−1+2+0 and Beta 1−2 over 7 passages.
    expect(framing.rows.find((r) => r.group === 'state-aligned')!.meanStance).toBeCloseTo(3 / 7, 12);
    const stance = await get<{ rows: Row[] }>(app, '/api/dashboard/stance?basis=model&groupBy=country');
    expect(stance.rows.map((r) => [r.source, r.items, r.documents, r.mean])).toEqual([
      ['RU', 10, 4, 0.1],
      ['BY', 2, 1, -0.5],
      ['(no country)', 1, 1, -1],
    ]);
  });

  it('merges theme cells and timeline points per group', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    const themes = await get<{ cells: { group: string; theme: string; count: number; share: number }[] }>(app, '/api/dashboard/themes?basis=model&groupBy=alignment');
    expect(themes.cells.filter((c) => c.group === 'state-aligned').map((c) => [c.theme, c.count, c.share])).toEqual([
      ['sanctions', 2, 2 / 7],
      ['sovereignty', 2, 2 / 7],
      ['union-state', 2, 2 / 7],
    ]);
    const timeline = await get<{ rows: { source: string; period: string; counted: number; meanStance: number }[] }>(app, '/api/dashboard/timeline?basis=model&groupBy=alignment&limit=1');
    expect(timeline.rows.map((r) => [r.source, r.period, r.counted, r.meanStance])).toEqual([
      ['state-aligned', '2024-03', 5, 1 / 5],
      ['independent', '2024-03', 2, -1.5],
      ['(no alignment)', '2024-03', 1, -1],
      ['state-aligned', '2024-04', 2, 1],
      ['independent', '2024-05', 3, 0],
    ]);
  });

  it("compares groups' theme profiles in the similarity view: each distance is the Jensen–Shannon distance of the groups' merged theme counts", async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    const themes = await get<{ codebook: { themes: { id: string }[] }; cells: { group: string; theme: string; count: number }[] }>(app, '/api/dashboard/themes?basis=model&groupBy=alignment');
    const similarity = await get<{ sources: { group: string }[]; themes: (number | null)[][] }>(app, '/api/dashboard/similarity?basis=model&groupBy=alignment');
    const profile = (group: string) => themes.codebook.themes.map((t) => themes.cells.find((c) => c.group === group && c.theme === t.id)?.count ?? 0);
    const groups = similarity.sources.map((s) => s.group);
    expect(groups).toEqual(['state-aligned', 'independent', '']);
    for (let a = 0; a < groups.length; a++) {
      for (let b = 0; b < groups.length; b++) expect(similarity.themes[a]![b], `${groups[a]} × ${groups[b]}`).toBeCloseTo(jensenShannonDistance(profile(groups[a]!), profile(groups[b]!)), 12);
    }
    expect(similarity.themes[0]![1]).toBeGreaterThan(0);
  });

  it("draws the timeline of one group's largest sources under a limit, and every chosen source", async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    type Timeline = { rows: { source: string; period: string; counted: number }[]; omitted: number };
    const largest = await get<Timeline>(app, '/api/dashboard/timeline?basis=model&group=alignment:state-aligned&limit=1');
    expect(largest.rows.map((r) => [r.source, r.period, r.counted])).toEqual([
      ['Alpha', '2024-03', 3],
      ['Alpha', '2024-04', 2],
    ]);
    expect(largest.omitted).toBe(1);
    const dated = await get<Timeline>(app, '/api/dashboard/timeline?basis=model&group=alignment:state-aligned&limit=1&from=2024-03-06');
    expect(dated.rows.map((r) => [r.source, r.period, r.counted])).toEqual([['Alpha', '2024-04', 2]]);
    expect(dated.omitted).toBe(1);
    const chosen = await get<Timeline>(app, '/api/dashboard/timeline?basis=model&sources=Alpha,Beta&limit=1');
    expect(new Set(chosen.rows.map((r) => r.source))).toEqual(new Set(['Alpha', 'Beta']));
    expect(chosen.omitted).toBe(0);
  });

  it('narrows any view and the drill-down to one group with group=GROUPING:VALUE', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    const framing = await get<{ rows: Row[] }>(app, '/api/dashboard/framing?basis=model&group=alignment:state-aligned');
    expect(framing.rows.map((r) => r.source)).toEqual(['Alpha', 'Beta']);
    const drill = await get<{ total: number; items: { source: string }[] }>(app, '/api/dashboard/passages?basis=model&group=ownership:private&label=critical');
    expect(drill.total).toBe(4);
    expect(new Set(drill.items.map((i) => i.source))).toEqual(new Set(['Gamma', 'Delta']));
    const none = await get<{ total: number }>(app, '/api/dashboard/passages?basis=model&group=ownership:');
    expect(none.total).toBe(7);
    const empty = await get<{ rows: Row[] }>(app, '/api/dashboard/framing?basis=model&group=alignment:foreign');
    expect(empty.rows).toEqual([]);
  });

  it('compares two groups: each share and the mean stance in both, their difference, and an interval around it', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    type Cmp = { a: Record<string, unknown>; b: Record<string, unknown>; method: string; labels: { label: string; a: number; b: number; difference: number; low: number; high: number }[]; stance: { a: number; b: number; difference: number } };
    const c = await get<Cmp>(app, '/api/dashboard/compare?basis=model&groupBy=alignment&a=state-aligned&b=independent');
    expect(c.a).toEqual({ group: 'state-aligned', name: 'state-aligned', sources: 2, documents: 3, counted: 7 });
    expect(c.b).toEqual({ group: 'independent', name: 'independent', sources: 1, documents: 2, counted: 5 });
    expect(c.method).toBe('bootstrap');
    const integrationist = c.labels.find((l) => l.label === 'integrationist')!;
    expect([integrationist.a, integrationist.b, integrationist.difference]).toEqual([4 / 7, 1 / 5, 4 / 7 - 1 / 5]);
    expect(integrationist.low).toBeLessThanOrEqual(integrationist.difference);
    expect(integrationist.high).toBeGreaterThanOrEqual(integrationist.difference);
    expect([c.stance.a, c.stance.b, c.stance.difference]).toEqual([3 / 7, -0.6, 3 / 7 + 0.6]);
    const final = await get<Cmp>(app, '/api/dashboard/compare?basis=final&groupBy=alignment&a=independent&b=');
    // Gamma's edited passage counts as analytical under the final basis; Delta is the unassigned group.
    expect(final.labels.find((l) => l.label === 'analytical')!.a).toBe(2 / 5);
    expect(final.b).toMatchObject({ group: '', name: '(no alignment)', sources: 1, documents: 1 });
  });

  it('refuses a comparison without a grouping, of a group with itself, and an unknown grouping, naming the problem', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    const msg = async (path: string) => (await get<{ error: { message: string } }>(app, path, 400)).error.message;
    expect(await msg('/api/dashboard/compare?a=x&b=y')).toMatch(/groupBy: name the grouping/);
    expect(await msg('/api/dashboard/compare?groupBy=alignment&a=independent&b=independent')).toMatch(/same group/);
    expect(await msg('/api/dashboard/framing?groupBy=alignmnet')).toBe('groupBy: no grouping named "alignmnet" (known: country, language, alignment, ownership)');
    expect(await msg('/api/dashboard/framing?group=alignment')).toMatch(/expected GROUPING:VALUE/);
  });
});

describe('outlets ranked by volume, the largest with their own row', () => {
  it('lists rows largest first and sums everything beyond top=N in one others row', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    // Passages per source: Alpha 5, Gamma 5, Beta 2, Delta 1.
    const all = await get<{ rows: Row[]; others: number }>(app, '/api/dashboard/framing?basis=model');
    expect(all.rows.map((r) => r.source)).toEqual(['Alpha', 'Gamma', 'Beta', 'Delta']);
    expect(all.others).toBe(0);
    const top = await get<{ rows: Row[]; others: number }>(app, '/api/dashboard/framing?basis=model&top=2');
    expect(top.others).toBe(2);
    expect(top.rows.map((r) => [r.source, r.sourceId === null, r.group, r.counted, r.counts])).toEqual([
      ['Alpha', false, null, 5, { integrationist: 3, critical: 1, analytical: 1 }],
      ['Gamma', false, null, 5, { integrationist: 1, critical: 3, analytical: 1 }],
      ['others (2 sources)', true, null, 3, { integrationist: 1, critical: 2, analytical: 0 }],
    ]);
    const stance = await get<{ rows: Row[]; others: number }>(app, '/api/dashboard/stance?basis=model&top=1&groupBy=alignment');
    expect(stance.rows.map((r) => [r.source, r.items, r.documents])).toEqual([
      ['state-aligned', 7, 3],
      ['others (2 groups)', 6, 3],
    ]);
  });

  it('tells the page which level has labels and lists the sources largest first', async () => {
    const { app, deps } = testApp();
    await seedGroups(app, deps.db);
    const meta = await get<{ levels: Record<string, { items: number; suggested: number; reviewed: number }>; sources: { name: string; items: number }[] }>(app, '/api/dashboard/meta');
    expect(meta.levels).toEqual({ passage: { items: 13, suggested: 13, reviewed: 1 }, document: { items: 6, suggested: 0, reviewed: 0 } });
    expect(meta.sources.map((s) => [s.name, s.items])).toEqual([
      ['Alpha', 5],
      ['Gamma', 5],
      ['Beta', 2],
      ['Delta', 1],
    ]);
  });
});
