import { describe, expect, it } from 'vitest';
import { seededRandom } from '../metrics/rng.ts';
import { correctedEstimate, withinScale, type CorrectionSums } from './corrected.ts';
import { jensenShannonDistance } from './similarity.ts';

/**
 * One simulated source: `n` items whose true label is present with probability `truth`, a model
 * that finds it with recall 0.9 but also flags 20% of the others (so it over-counts), and a
 * simple random sample of `nSample` items labelled by people.
 */
function simulate(seed: number, n: number, nSample: number, truth: number): CorrectionSums {
  const random = seededRandom(seed);
  const truthValues: number[] = [];
  const model: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = random() < truth ? 1 : 0;
    truthValues.push(y);
    model.push(y === 1 ? (random() < 0.9 ? 1 : 0) : random() < 0.2 ? 1 : 0);
  }
  // Partial Fisher–Yates: the first nSample positions become the random sample.
  const order = [...Array(n).keys()];
  for (let i = 0; i < nSample; i++) {
    const j = i + Math.floor(random() * (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const sums: CorrectionSums = { n, sumModel: 0, sumModelSq: 0, nSample, sumDiff: 0, sumDiffSq: 0, sumModelDiff: 0 };
  for (const m of model) {
    sums.sumModel += m;
    sums.sumModelSq += m * m;
  }
  for (const i of order.slice(0, nSample)) {
    const d = truthValues[i]! - model[i]!;
    sums.sumDiff += d;
    sums.sumDiffSq += d * d;
    sums.sumModelDiff += model[i]! * d;
  }
  return sums;
}

describe('corrected estimates', () => {
  it('covers a known true share in at least 90 of 100 draws while the biased model alone does not', () => {
    const truth = 0.3;
    let correctedCovers = 0;
    let modelCovers = 0;
    for (let draw = 0; draw < 100; draw++) {
      const est = correctedEstimate(simulate(1000 + draw, 1000, 150, truth));
      if (est.corrected!.low <= truth && truth <= est.corrected!.high) correctedCovers += 1;
      if (est.model!.low <= truth && truth <= est.model!.high) modelCovers += 1;
    }
    expect(correctedCovers, 'corrected 95% intervals covering the true share').toBeGreaterThanOrEqual(90);
    expect(modelCovers, 'model-only 95% intervals covering the true share').toBeLessThan(10);
  });

  it('adds the mean human − model difference of the sample to the model mean', () => {
    const est = correctedEstimate({ n: 4, sumModel: 2, sumModelSq: 2, nSample: 2, sumDiff: -1, sumDiffSq: 1, sumModelDiff: -1 });
    expect(est.model!.estimate).toBe(0.5);
    expect(est.correction).toBe(-0.5);
    expect(est.corrected!.estimate).toBe(0);
  });

  it('keeps a share and its intervals inside 0..1, where the raw normal interval runs below 0', () => {
    const sums = { n: 4, sumModel: 2, sumModelSq: 2, nSample: 2, sumDiff: -1, sumDiffSq: 1, sumModelDiff: -1 };
    expect(correctedEstimate(sums).corrected!.low).toBeLessThan(0);
    const est = withinScale(correctedEstimate(sums), 0, 1);
    expect([est.corrected!.estimate, est.corrected!.low]).toEqual([0, 0]);
    expect(est.corrected!.high).toBeGreaterThan(0);
    expect(est.corrected!.high).toBeLessThanOrEqual(1);
    expect([est.model!.low >= 0, est.model!.high <= 1]).toEqual([true, true]);
  });

  it('gives no corrected estimate without at least two sampled items', () => {
    expect(correctedEstimate({ n: 10, sumModel: 5, sumModelSq: 5, nSample: 1, sumDiff: 1, sumDiffSq: 1, sumModelDiff: 0 }).corrected).toBeNull();
  });
});

describe('Jensen-Shannon distance', () => {
  it('is 0 for proportional profiles, 1 for disjoint ones and NaN for an empty one', () => {
    expect(jensenShannonDistance([1, 2, 3], [2, 4, 6])).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 5])).toBe(1);
    expect(jensenShannonDistance([0, 0], [1, 1])).toBeNaN();
  });
});
