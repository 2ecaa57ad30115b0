import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { MIN_MEASURED, nearGuess } from './quality.ts';

const LABELS = ['integrationist', 'critical', 'analytical'];

/** `n` passages, each with a local suggestion; the first `decided` of them decided by a person afterwards, `right` of those as the model said. */
function seed(db: Db, n: number, decided: number, right: number) {
  const [doc] = seedCorpus(db, [{ name: 'Outlet', documents: [{ title: 'T', passages: Array.from({ length: n }, (_, k) => ({ text: `passage ${k}` })) }] }]);
  const ids = doc!.passageItemIds;
  ids.forEach((id, k) => addSuggestion(db, id, { label: LABELS[k % 3]!, stance: 0, confidence: 0.34, provider: 'local', model: 'local-baseline-v1' }));
  ids.slice(0, decided).forEach((id, k) => {
    const model = LABELS[k % 3]!;
    const label = k < right ? model : LABELS[(k + 1) % 3]!;
    addReview(db, id, { reviewer: 'ann', action: label === model ? 'accept' : 'edit', label, stance: 0, createdAt: '2999-01-01T00:00:00.000Z' });
  });
  return ids;
}

type Quality = { models: { provider: string; model: string; n: number; status: string; accuracy: { estimate: number } | null; guessAccuracy: number | null; closeToGuess: boolean | null; summary: string }[]; nearGuessBelow: number };

describe('measured model quality', () => {
  it('says "not yet measured" until enough independent decisions came after the suggestions', async () => {
    const { app, deps } = testApp();
    seed(deps.db, 12, 10, 5);
    const body = (await (await app.request('/api/tagging/quality')).json()) as Quality;
    expect(body.models).toHaveLength(1);
    expect(body.models[0]).toMatchObject({ provider: 'local', model: 'local-baseline', n: 10, status: 'not-yet', accuracy: null });
    expect(body.models[0]!.summary).toBe(`The local baseline: not yet measured — 10 of the ${MIN_MEASURED} independent human decisions on items it suggested that a measurement needs.`);
    expect(body.nearGuessBelow).toBeCloseTo(1 / 3 + 0.1, 12);
  });

  it('scores suggestions against independent decisions only, made after them, and says when that is close to a guess', async () => {
    const { app, deps } = testApp();
    const ids = seed(deps.db, 45, 36, 12);
    // Bulk accepts agree with the model by construction: never scored.
    ids.slice(36, 42).forEach((id, k) => addReview(deps.db, id, { reviewer: 'bea', kind: 'bulk', action: 'accept', label: LABELS[(36 + k) % 3]!, stance: 0, createdAt: '2999-01-01T00:00:00.000Z' }));
    // A suggestion made after the decision (which a retrained model may have learned from) is not scored.
    addReview(deps.db, ids[42]!, { reviewer: 'ann', action: 'edit', label: 'critical', stance: 0, createdAt: '2000-01-01T00:00:00.000Z' });
    const body = (await (await app.request('/api/tagging/quality')).json()) as Quality;
    const local = body.models[0]!;
    expect(local).toMatchObject({ n: 36, status: 'measured', closeToGuess: true });
    expect(local.accuracy!.estimate).toBeCloseTo(12 / 36, 12);
    expect(local.guessAccuracy).toBeCloseTo(12 / 36, 12);
    expect(local.summary).toMatch(/^The local baseline, measured on 36 independent human decisions here: accuracy 33% \[\d+%, \d+%\] \(always guessing the commonest label: 33%\), κ -?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\] — close to a guess\.$/);
  });

  it('marks a confidence close to an even guess over the labels', () => {
    expect([nearGuess(0.34, 3), nearGuess(0.43, 3), nearGuess(0.44, 3), nearGuess(null, 3), nearGuess(0.55, 2)]).toEqual([true, true, false, false, true]);
  });
});
