import { describe, expect, it } from 'vitest';
import { bootstrapInterval, quantile } from './bootstrap.ts';

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('bootstrapInterval', () => {
  // Seed 1 draws 0.627, 0.003, 0.527 | 0.981, 0.968, 0.281 | 0.613, 0.721, 0.426 | 0.995, 0.455, 0.489,
  // i.e. indices [1,0,1] [2,2,0] [1,2,1] [2,1,1] over units [0,1,2]: means 2/3, 4/3, 4/3, 4/3.
  // At level 0.5 the 25th percentile (type 7) is 2/3 + 0.75 * (4/3 - 2/3) = 7/6, the 75th is 4/3.
  it('matches the hand-computed percentile interval on seed 1', () => {
    const interval = bootstrapInterval([0, 1, 2], mean, { iterations: 4, seed: 1, level: 0.5 });
    expect(interval.estimate).toBe(1);
    expect(interval.low).toBeCloseTo(7 / 6, 12);
    expect(interval.high).toBeCloseTo(4 / 3, 12);
    expect(interval.level).toBe(0.5);
  });

  it('skips resamples whose statistic is NaN', () => {
    // The first two resamples above contain unit 0; the other two both have mean 4/3.
    const meanWithoutZero = (xs: readonly number[]): number => (xs.includes(0) ? Number.NaN : mean(xs));
    const interval = bootstrapInterval([0, 1, 2], meanWithoutZero, { iterations: 4, seed: 1, level: 0.5 });
    expect(interval.low).toBeCloseTo(4 / 3, 12);
    expect(interval.high).toBeCloseTo(4 / 3, 12);
  });

  it('is reproducible for a seed and brackets the estimate with the defaults', () => {
    const units = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const a = bootstrapInterval(units, mean);
    const b = bootstrapInterval(units, mean);
    expect(a).toEqual(b);
    expect(a.level).toBe(0.95);
    expect(a.estimate).toBe(0.8);
    expect(a.low).toBeLessThan(0.8);
    expect(a.high).toBeGreaterThan(0.8);
  });

  it('gives a zero-width interval for constant units and NaN for no units', () => {
    expect(bootstrapInterval([3, 3, 3], mean, { iterations: 50 })).toEqual({ estimate: 3, low: 3, high: 3, level: 0.95 });
    const empty = bootstrapInterval([], mean);
    expect(Number.isNaN(empty.estimate) && Number.isNaN(empty.low) && Number.isNaN(empty.high)).toBe(true);
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => bootstrapInterval([1], mean, { level: 95 })).toThrow('bootstrap level must be in (0, 1), got 95');
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
});
