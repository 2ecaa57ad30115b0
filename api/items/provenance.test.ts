import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { items } from '../../db/schema/index.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { exportBytes, readJsonl } from '../export/testing.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { reviewedTrainingExamples } from '../training/examples.ts';
import { testApp } from '../testing.ts';
import { seedHistories } from './testing.ts';

const state = (db: Db, id: number) => db.select().from(items).where(eq(items.id, id)).get()!;

describe('origins and the independent human record', () => {
  it('records each decision with its origin and keeps bulk, imports and open rejects out of the independent label', () => {
    const { deps } = testApp();
    const { p } = seedHistories(deps.db);
    const row = (k: number) => {
      const i = state(deps.db, p[k]!);
      return [i.reviewStatus, i.reviewedLabel, i.finalOrigin, i.independentLabel, i.independentStance, i.independentCount];
    };
    expect(row(0)).toEqual(['reviewed', 'critical', 'reviewer', 'critical', -2, 1]);
    expect(row(1)).toEqual(['reviewed', 'analytical', 'bulk', null, null, 0]);
    expect(row(2)).toEqual(['reviewed', 'integrationist', 'bulk', 'integrationist', 1, 1]);
    expect(row(3)).toEqual(['reviewed', 'analytical', 'import', 'analytical', 0, 1]);
    expect(row(4)).toEqual(['reviewed', 'critical', 'import', null, null, 0]);
    expect(row(5)).toEqual(['rejected', null, null, null, null, 1]);
    expect(row(6)).toEqual(['disputed', null, null, null, null, 2]);
    expect(row(7)).toEqual(['unreviewed', null, 'model', null, null, 0]);
    expect(row(8)).toEqual(['adjudicated', 'analytical', 'adjudication', 'analytical', 1, 2]);
  });

  it('trains the local model on independent human decisions only: no bulk accept, no suggestion, no import unless gold', () => {
    const { deps } = testApp();
    const { p } = seedHistories(deps.db);
    const { examples } = reviewedTrainingExamples(deps.db, getActiveCodebook(deps.db).definition);
    const text = (k: number) => deps.db.$client.prepare('SELECT p.text FROM items i JOIN passages p ON p.id = i.passage_id WHERE i.id = ?').pluck().get(p[k]!) as string;
    expect(examples.map((e) => [e.text, e.label, e.stance, e.themes])).toEqual([
      [text(0), 'critical', -2, ['sovereignty']],
      [text(2), 'integrationist', 1, ['union-state']],
      [text(3), 'analytical', 0, ['energy-and-resources']],
      [text(8), 'analytical', 1, ['sanctions', 'sovereignty']],
      [text(10), 'analytical', 0, []],
      [text(11), 'critical', -1, []],
    ]);
  });

  it('gives the same item count and kappa on the dashboard and the review page after a bulk accept, both without bulk', async () => {
    const { app, deps } = testApp();
    const [doc] = seedCorpus(deps.db, [{ name: 'Outlet A', documents: [{ title: 'One', passages: Array.from({ length: 9 }, (_, k) => ({ text: `p${k}` })) }] }]);
    const ids = doc!.passageItemIds;
    const model = ['critical', 'critical', 'analytical', 'integrationist', 'critical', 'analytical', 'critical', 'critical', 'integrationist'];
    ids.forEach((id, k) => addSuggestion(deps.db, id, { label: model[k]!, stance: 0, confidence: 0.95 }));
    const people = ['critical', 'analytical', 'analytical', 'critical', 'critical'];
    people.forEach((label, k) => addReview(deps.db, ids[k]!, { reviewer: k % 2 === 0 ? 'ann' : 'bob', action: label === model[k] ? 'accept' : 'edit', label, stance: 0 }));
    const cookie = (await app.request('/api/auth/me', { method: 'POST', body: JSON.stringify({ name: 'Ann' }), headers: { 'content-type': 'application/json' } })).headers.get('set-cookie')!.split(';')[0]!;
    const filter = { level: 'passage' };
    const preview = await (await app.request('/api/review/bulk/preview', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ filter, threshold: 0.9 }) })).json();
    expect(preview.count).toBe(4);
    const accepted = await app.request('/api/review/bulk/accept', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ filter, threshold: 0.9, expectedCount: 4, queueOrder: 'random' }) });
    expect(accepted.status).toBe(201);

    const dashboard = await (await app.request('/api/dashboard/agreement')).json();
    const review = await (await app.request('/api/review/agreement', { headers: { cookie } })).json();
    // Five independent decisions: model and people agree on 3 (c/c, a/a, c/c) and differ on 2 (c/a, i/c).
    expect(dashboard.pairs).toBe(5);
    expect(review.modelHuman.n).toBe(5);
    expect(dashboard.percentAgreement).toBeCloseTo(3 / 5, 12);
    expect(review.modelHuman.percent.estimate).toBeCloseTo(3 / 5, 12);
    expect(review.modelHuman.cohen.estimate).toBeCloseTo(dashboard.cohenKappa, 12);
    expect(review.leftOut.bulk).toBe(4);
    // The bulk accepts, made from a random-order queue, are no part of the corrected estimates' sample either.
    expect((await (await app.request('/api/dashboard/meta')).json()).totals.randomSample).toBe(0);
  });
});

/** Item id → label, stance and themes under a basis, read through the dashboard's own drill-down. */
async function dashboardLabels(app: ReturnType<typeof testApp>['app'], db: Db, query: string, level: 'passage' | 'document') {
  const out = new Map<number, { label: string | null; stance: number | null; themes: string[] }>();
  const page = await (await app.request(`/api/dashboard/passages?${query}&level=${level}&limit=500`)).json();
  for (const i of page.items as { itemId: number; label: string | null; stance: number | null }[]) out.set(i.itemId, { label: i.label, stance: i.stance, themes: [] });
  for (const theme of getActiveCodebook(db).definition.themes.map((t) => t.id)) {
    const cell = await (await app.request(`/api/dashboard/passages?${query}&level=${level}&theme=${theme}&limit=500`)).json();
    for (const i of cell.items as { itemId: number }[]) out.get(i.itemId)!.themes.push(theme);
  }
  for (const v of out.values()) v.themes.sort();
  return out;
}

describe('the dashboard and the export', () => {
  it('agree on every item label, stance and themes under each basis', async () => {
    const { app, deps } = testApp();
    seedHistories(deps.db);
    // Which export columns hold each basis: people incl. bulk is the standing decision where a person decided.
    const exported = {
      model: (r: Record<string, unknown>) => [r.suggested_label, r.suggested_stance, r.suggested_themes],
      people: (r: Record<string, unknown>) => [r.people_label, r.people_stance, r.people_themes],
      'people&includeBulk=1': (r: Record<string, unknown>) => (['reviewed', 'adjudicated'].includes(r.review_status as string) ? [r.final_label, r.final_stance, r.final_themes] : [null, null, null]),
      final: (r: Record<string, unknown>) => [r.final_label, r.final_stance, r.final_themes],
    };
    for (const level of ['passage', 'document'] as const) {
      const rows = readJsonl(exportBytes(deps.db, { format: 'jsonl', level, status: 'all' }).bytes);
      expect(rows.length).toBeGreaterThan(1);
      for (const [basis, columns] of Object.entries(exported)) {
        const shown = await dashboardLabels(app, deps.db, `basis=${basis}`, level);
        const fromExport = new Map(
          rows
            .map((r) => [r.item_id as number, columns(r)] as const)
            .filter(([, [label]]) => label !== null)
            .map(([id, [label, stance, themes]]) => [id, { label, stance, themes: (themes as string[] | null) ?? [] }]),
        );
        expect(Object.fromEntries(shown), `${level} basis=${basis}`).toEqual(Object.fromEntries(fromExport));
      }
    }
  });
});
