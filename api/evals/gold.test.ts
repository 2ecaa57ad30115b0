import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { reviews } from '../../db/schema/index.ts';
import { addImport, addReview, seedCorpus } from '../fixtures.ts';
import { loadConfig } from '../config.ts';
import { loadGoldFromDb } from './gold.ts';
import { evaluate } from './service.ts';

/** Two fictional outlets, decided in the ways that do and do not make gold. */
function seedReviewedCorpus() {
  const db = createTestDb();
  const [a, b] = seedCorpus(db, [
    {
      name: 'Outlet A',
      documents: [{ title: 'Union days', passages: [{ text: 'The union brings prosperity and a shared destiny to our peoples.' }, { text: 'Moscow keeps its neighbours on a short leash with threats and cheap gas.' }] }],
    },
    {
      name: 'Outlet B',
      documents: [
        {
          title: 'Customs talks',
          passages: [{ text: 'Officials in both capitals discussed three scenarios for the customs union.' }, { text: 'Analysts say the outcome depends on energy prices.' }, { text: 'Share this article with your friends.' }],
        },
      ],
    },
  ]);
  const [agreed, disputed] = a!.passageItemIds as [number, number];
  const [imported, nonBlind, shareLine] = b!.passageItemIds as [number, number, number];
  const blind = [
    addReview(db, agreed, { reviewer: 'alice', action: 'edit', label: 'integrationist', stance: 2, themes: ['identity-and-civilization'] }),
    addReview(db, agreed, { reviewer: 'bob', action: 'edit', label: 'integrationist', stance: 1, themes: ['identity-and-civilization'] }),
  ];
  db.update(reviews).set({ blind: true }).where(inArray(reviews.id, blind)).run();
  addReview(db, disputed, { reviewer: 'alice', action: 'edit', label: 'critical', stance: -2 });
  addReview(db, disputed, { reviewer: 'bob', action: 'edit', label: 'analytical', stance: 0 });
  addReview(db, disputed, { reviewer: 'admin', role: 'admin', action: 'adjudicate', label: 'critical', stance: -1, themes: ['regimes-and-elites', 'energy-and-resources'] });
  const gold = addImport(db, 'coded-elsewhere', { gold: true });
  addReview(db, imported, { reviewer: 'import:coded-elsewhere', role: 'import', kind: 'import', action: 'edit', label: 'analytical', stance: 0, themes: ['economic-integration'], importId: gold });
  // Labels of an import not marked gold are recorded but are no gold; nor is a bulk accept.
  const plain = addImport(db, 'carried-along');
  addReview(db, nonBlind, { reviewer: 'import:carried-along', role: 'import', kind: 'import', action: 'edit', label: 'critical', stance: -1, importId: plain });
  addReview(db, shareLine, { reviewer: 'bulky', kind: 'bulk', action: 'accept', label: 'critical', stance: -1 });
  addReview(db, nonBlind, { reviewer: 'carol', action: 'accept', label: 'analytical', stance: 0 });
  addReview(db, shareLine, { reviewer: 'carol', action: 'exclude', note: 'share prompt' });
  return { db, ids: { agreed, disputed, imported, nonBlind, shareLine } };
}

describe('gold from the database', () => {
  it('takes blind, adjudicated and gold-imported decisions and reviewer exclusions, and nothing a reviewer decided after seeing a suggestion, in bulk or from another import', () => {
    const { db, ids } = seedReviewedCorpus();
    const gold = loadGoldFromDb(db);
    expect(gold.origin).toBe('db');
    expect(gold.items.map((i) => [i.id, i.excluded, i.label, i.stance, i.themes, i.sourceName])).toEqual([
      [`item:${ids.agreed}`, false, 'integrationist', 1, ['identity-and-civilization'], 'Outlet A'],
      [`item:${ids.disputed}`, false, 'critical', -1, ['energy-and-resources', 'regimes-and-elites'], 'Outlet A'],
      [`item:${ids.imported}`, false, 'analytical', 0, ['economic-integration'], 'Outlet B'],
      [`item:${ids.shareLine}`, true, null, null, [], 'Outlet B'],
    ]);
    expect(gold.items[0]!.text).toBe('The union brings prosperity and a shared destiny to our peoples.');
  });

  it('refuses a database without gold', () => {
    const db = createTestDb();
    seedCorpus(db, [{ name: 'Outlet A', documents: [{ title: 'T', passages: [{ text: 'Some text.' }] }] }]);
    expect(() => loadGoldFromDb(db)).toThrow('the database has no gold items: none decided in blind mode, adjudicated or imported');
  });

  it('reports human-human agreement next to model-human agreement on items several people reviewed', async () => {
    const { db, ids } = seedReviewedCorpus();
    const { result } = await evaluate({ provider: 'local', gold: 'db', write: false, bootstrapIterations: 100 }, { config: loadConfig({}), db });
    expect(result.provenance.protocol).toMatchObject({ kind: 'cross-validation', folds: 2 });
    // Two items carry two reviewers each: alice and bob agree on one (integrationist) and split on the other.
    // Nominal alpha by hand: D_o = 2/4, D_e = 10/12, alpha = 1 - 0.6 = 0.4.
    const h = result.humanBaseline!;
    expect(h.items).toBe(2);
    expect(h.humanHuman.percentAgreement).toBe(0.5);
    expect(h.humanHuman.alpha).toBeCloseTo(0.4, 12);
    const predicted = (id: number) => result.items.find((i) => i.id === `item:${id}`)!.predicted!.label;
    const expectedModelHuman = ((predicted(ids.agreed) === 'integrationist' ? 1 : 0) + ['critical', 'analytical'].filter((l) => l === predicted(ids.disputed)).length / 2) / 2;
    expect(h.modelHuman.percentAgreement).toBe(expectedModelHuman);
  }, 60_000);
});
