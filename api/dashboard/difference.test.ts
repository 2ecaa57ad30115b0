import { describe, expect, it } from 'vitest';
import { seededRandom } from '../metrics/rng.ts';
import { DIFFERENCE_BOOTSTRAP_MAX_DOCUMENTS, groupDifferences, type DocumentUnit } from './difference.ts';

/**
 * One simulated group: `documents` articles of 1-12 passages; each article has its own chance
 * of the label (the group's rate ± 0.25, so passages of one article are correlated) and its
 * own lean in stance (−2..2 around the group's mean). Measure 0 is the label's share, measure
 * 1 the mean stance.
 */
function simulateGroup(random: () => number, documents: number, rate: number, stance: number): DocumentUnit[] {
  const units: DocumentUnit[] = [];
  for (let d = 0; d < documents; d++) {
    const passages = 1 + Math.floor(random() * 12);
    const p = Math.min(1, Math.max(0, rate + (random() - 0.5) * 0.5));
    const lean = stance + (random() - 0.5) * 2;
    let labelled = 0;
    let stanceSum = 0;
    for (let i = 0; i < passages; i++) {
      if (random() < p) labelled += 1;
      stanceSum += Math.max(-2, Math.min(2, Math.round(lean + (random() - 0.5) * 2)));
    }
    units.push({ sums: [labelled, stanceSum], counts: [passages, passages] });
  }
  return units;
}

/** How often the interval of a − b holds the true difference over `draws` simulated pairs of groups. */
function coverage(draws: number, documents: number, truth: { rateA: number; rateB: number }, expectMethod: string): { share: number; stance: number } {
  let share = 0;
  let stance = 0;
  // With stance means 0.5 and −0.3 the rounding and clamping move the true means: estimated once on a huge sample.
  const big = (mean: number) => groupDifferences(simulateGroup(seededRandom(99), 400_000, 0.5, mean), [], 2).measures[1]!.a!;
  const trueStanceDifference = big(0.5) - big(-0.3);
  for (let draw = 0; draw < draws; draw++) {
    const random = seededRandom(5_000 + draw);
    const a = simulateGroup(random, documents, truth.rateA, 0.5);
    const b = simulateGroup(random, documents, truth.rateB, -0.3);
    const result = groupDifferences(a, b, 2);
    expect(result.method).toBe(expectMethod);
    const [s, t] = result.measures;
    if (s!.low! <= truth.rateA - truth.rateB && truth.rateA - truth.rateB <= s!.high!) share += 1;
    if (t!.low! <= trueStanceDifference && trueStanceDifference <= t!.high!) stance += 1;
  }
  return { share: share / draws, stance: stance / draws };
}

describe('two-group difference intervals', () => {
  it('covers the true difference at about the stated 95% with few documents (bootstrap within each group)', () => {
    const c = coverage(200, 25, { rateA: 0.45, rateB: 0.3 }, 'bootstrap');
    expect(c.share, 'share of 95% intervals covering the true share difference').toBeGreaterThanOrEqual(0.9);
    expect(c.share, 'not so wide that they always cover').toBeLessThanOrEqual(0.99);
    expect(c.stance, 'share of 95% intervals covering the true stance difference').toBeGreaterThanOrEqual(0.9);
    expect(c.stance).toBeLessThanOrEqual(0.99);
  });

  it('covers the true difference at about the stated 95% with many documents (document-clustered normal interval)', () => {
    const documents = DIFFERENCE_BOOTSTRAP_MAX_DOCUMENTS;
    const c = coverage(200, documents, { rateA: 0.2, rateB: 0.25 }, 'cluster-normal');
    expect(c.share).toBeGreaterThanOrEqual(0.91);
    expect(c.share).toBeLessThanOrEqual(0.99);
    expect(c.stance).toBeGreaterThanOrEqual(0.91);
    expect(c.stance).toBeLessThanOrEqual(0.99);
  });

  it('is wider over correlated passages than an interval that treats the passages as independent', () => {
    const random = seededRandom(7);
    const a = simulateGroup(random, 300, 0.5, 0);
    const b = simulateGroup(random, 300, 0.5, 0);
    const clustered = groupDifferences(a, b, 2).measures[0]!;
    const asPassages = (units: DocumentUnit[]) =>
      units.flatMap((u) => Array.from({ length: u.counts[0]! }, (_, i) => ({ sums: [i < u.sums[0]! ? 1 : 0, 0], counts: [1, 1] })));
    const naive = groupDifferences(asPassages(a), asPassages(b), 2).measures[0]!;
    expect(clustered.high! - clustered.low!).toBeGreaterThan(naive.high! - naive.low!);
  });

  it('gives the plain difference and no interval when a group has fewer than two documents', () => {
    const r = groupDifferences([{ sums: [1, 2], counts: [2, 2] }], [{ sums: [0, 1], counts: [1, 1] }, { sums: [1, 0], counts: [1, 1] }], 2);
    expect(r.measures[0]).toEqual({ a: 0.5, b: 0.5, difference: 0, low: null, high: null });
    expect(r.measures[1]).toEqual({ a: 1, b: 0.5, difference: 0.5, low: null, high: null });
  });
});
