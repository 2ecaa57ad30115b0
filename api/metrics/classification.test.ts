import { describe, expect, it } from 'vitest';
import { accuracy, averageRanks, binaryScores, calibration, confusionMatrix, macroF1, meanAbsoluteError, multilabelScores, perLabelScores, spearman } from './classification.ts';

// Six items over labels a, b, c; the last has no usable prediction.
const labels = ['a', 'b', 'c'];
const gold = ['a', 'a', 'a', 'b', 'b', 'c'];
const predicted = ['a', 'a', 'b', 'b', 'c', null];

describe('single-label metrics', () => {
  it('counts gold against predictions and keeps unanswered items apart', () => {
    expect(confusionMatrix(gold, predicted, labels)).toEqual({
      labels,
      matrix: [
        [2, 1, 0],
        [0, 1, 1],
        [0, 0, 0],
      ],
      unanswered: [0, 0, 1],
    });
  });

  it('scores an unanswered item as wrong in accuracy', () => {
    expect(accuracy(gold, predicted)).toBe(0.5);
  });

  it('computes per-label precision, recall and F1 by hand', () => {
    // a: tp 2 of 2 predicted, 3 gold -> P 1, R 2/3, F1 0.8; b: 1 of 2, 2 gold -> 0.5 all; c: 0 of 1, 1 gold -> 0.
    const scores = perLabelScores(gold, predicted, labels);
    expect(scores.map((s) => [s.label, s.precision, s.support, s.predicted])).toEqual([
      ['a', 1, 3, 2],
      ['b', 0.5, 2, 2],
      ['c', 0, 1, 1],
    ]);
    expect(scores[0]!.recall).toBeCloseTo(2 / 3, 12);
    expect(scores[0]!.f1).toBeCloseTo(0.8, 12);
    expect(scores[1]!.f1).toBe(0.5);
    expect(scores[2]!.f1).toBe(0);
  });

  it('averages F1 over the labels that occur, giving (0.8 + 0.5 + 0) / 3', () => {
    expect(macroF1(gold, predicted, labels)).toBeCloseTo(1.3 / 3, 12);
    // A fourth label absent from gold and predictions does not dilute the average.
    expect(macroF1(gold, predicted, [...labels, 'd'])).toBeCloseTo(1.3 / 3, 12);
  });

  it('rejects a predicted label outside the codebook', () => {
    expect(() => confusionMatrix(['a'], ['z'], labels)).toThrow('confusionMatrix: predicted label "z" is not one of a, b, c');
  });
});

describe('multilabelScores', () => {
  it('pools decisions for micro-F1 and averages labels for macro-F1', () => {
    // x: tp 2/2/2 -> F1 1; y: missed once -> 0; z: one false positive -> 0. Micro: tp 2, 3 predicted, 3 gold.
    const scores = multilabelScores([['x', 'y'], ['x'], []], [['x'], ['x', 'z'], null], ['x', 'y', 'z', 'w']);
    expect(scores.micro.precision).toBeCloseTo(2 / 3, 12);
    expect(scores.micro.recall).toBeCloseTo(2 / 3, 12);
    expect(scores.micro.f1).toBeCloseTo(2 / 3, 12);
    expect(scores.macroF1).toBeCloseTo(1 / 3, 12);
    expect(scores.perLabel.map((s) => s.f1)).toEqual([1, 0, 0, 0]);
  });
});

describe('binaryScores', () => {
  it('gives precision and recall of the positive class', () => {
    expect(binaryScores([true, true, false, false], [true, false, true, false])).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, truePositives: 1, predicted: 2, support: 2 });
  });
});

describe('stance metrics', () => {
  it('computes mean absolute error', () => {
    expect(meanAbsoluteError([0, 1, -2], [1, 1, 0])).toBe(1);
  });

  it('ranks ties by their average rank', () => {
    expect(averageRanks([5, 6, 7, 8, 7])).toEqual([1, 2, 3.5, 5, 3.5]);
  });

  it('computes Spearman with ties as 8 / sqrt(95)', () => {
    // Rank deviations (-2,-1,0,1,2) and (-2,-1,0.5,2,0.5): Σxy = 8, Σx² = 10, Σy² = 9.5.
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(Number.isNaN(spearman([1, 2, 3], [0, 0, 0]))).toBe(true);
  });
});

describe('calibration', () => {
  it('builds a reliability table and computes ECE by hand', () => {
    // Bin [0, 0.5): conf 0.125, acc 0.5, weight 2/5 -> 0.15. Bin [0.5, 1]: conf 0.8833, acc 0.6667, weight 3/5 -> 0.13.
    const result = calibration([0.1, 0.15, 0.8, 0.9, 0.95], [false, true, true, true, false], 2);
    expect(result.ece).toBeCloseTo(0.28, 12);
    expect(result.bins.map((b) => [b.low, b.high, b.count])).toEqual([
      [0, 0.5, 2],
      [0.5, 1, 3],
    ]);
    expect(result.bins[0]!.meanConfidence).toBeCloseTo(0.125, 12);
    expect(result.bins[1]!.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('puts confidence 1 in the last bin and weighs the gap of each bin by its share of items', () => {
    const result = calibration([1, 1, 0.05], [true, true, false], 10);
    expect(result.bins[9]!.count).toBe(2);
    expect(result.ece).toBeCloseTo(0.05 / 3, 12);
  });
});
