import { quantile } from '../metrics/bootstrap.ts';
import { seededRandom } from '../metrics/rng.ts';
import { normalQuantile } from './corrected.ts';

/**
 * One document as a resampling unit of a two-group comparison: per measure, the document's sum
 * (items with label k, or its stance sum) and the count it is a share or mean of (its counted
 * items, or its items with a stance).
 */
export interface DocumentUnit {
  sums: readonly number[];
  counts: readonly number[];
}

/** Groups with at most this many documents together get a stratified bootstrap; larger ones the document-clustered normal interval. */
export const DIFFERENCE_BOOTSTRAP_MAX_DOCUMENTS = 2_000;
export const DIFFERENCE_BOOTSTRAP_ITERATIONS = 1_000;
export const DIFFERENCE_BOOTSTRAP_SEED = 20_240_611;

/** A measure in each group and their difference (a − b) with its interval; null where a group has nothing to measure. */
export interface Difference {
  a: number | null;
  b: number | null;
  difference: number | null;
  low: number | null;
  high: number | null;
}

export type DifferenceMethod = 'bootstrap' | 'cluster-normal';

/** Σ sums / Σ counts of measure k over units. */
function ratio(units: readonly DocumentUnit[], k: number): number {
  let s = 0;
  let n = 0;
  for (const u of units) {
    s += u.sums[k]!;
    n += u.counts[k]!;
  }
  return n > 0 ? s / n : Number.NaN;
}

/** The ratio estimator's variance with documents as clusters (linearised; what the bootstrap converges to). */
function clusteredVariance(units: readonly DocumentUnit[], k: number, r: number): number {
  let resid = 0;
  let n = 0;
  let m = 0;
  for (const u of units) {
    if (u.counts[k]! === 0) continue;
    const e = u.sums[k]! - r * u.counts[k]!;
    resid += e * e;
    n += u.counts[k]!;
    m += 1;
  }
  return m > 1 ? (resid * (m / (m - 1))) / (n * n) : Number.NaN;
}

const orNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * The difference between two groups of documents on each measure, with a 95% interval that
 * treats documents as the sampling unit within each group (passages of one article are not
 * independent, and the groups are sampled apart): a percentile bootstrap that resamples each
 * group's documents separately when they are few enough, else the normal interval from the
 * two groups' document-clustered variances.
 */
export function groupDifferences(a: readonly DocumentUnit[], b: readonly DocumentUnit[], measures: number): { method: DifferenceMethod; level: number; measures: Difference[] } {
  const level = 0.95;
  const estimates = Array.from({ length: measures }, (_, k) => ({ a: ratio(a, k), b: ratio(b, k) }));
  const useBootstrap = a.length + b.length <= DIFFERENCE_BOOTSTRAP_MAX_DOCUMENTS;
  let bounds: { low: number; high: number }[];
  if (a.length < 2 || b.length < 2) bounds = estimates.map(() => ({ low: Number.NaN, high: Number.NaN }));
  else if (useBootstrap) bounds = stratifiedBootstrap(a, b, measures, level);
  else {
    const z = normalQuantile(level);
    bounds = estimates.map((e, k) => {
      const se = Math.sqrt(clusteredVariance(a, k, e.a) + clusteredVariance(b, k, e.b));
      const d = e.a - e.b;
      return { low: d - z * se, high: d + z * se };
    });
  }
  return {
    method: useBootstrap ? 'bootstrap' : 'cluster-normal',
    level,
    measures: estimates.map((e, k) => ({ a: orNull(e.a), b: orNull(e.b), difference: orNull(e.a - e.b), low: orNull(bounds[k]!.low), high: orNull(bounds[k]!.high) })),
  };
}

/** Percentile intervals of a − b, resampling a's and b's documents each within its own group. */
function stratifiedBootstrap(a: readonly DocumentUnit[], b: readonly DocumentUnit[], measures: number, level: number): { low: number; high: number }[] {
  const random = seededRandom(DIFFERENCE_BOOTSTRAP_SEED);
  const stats = Array.from({ length: measures }, () => [] as number[]);
  const sumsA = new Float64Array(measures);
  const countsA = new Float64Array(measures);
  const sumsB = new Float64Array(measures);
  const countsB = new Float64Array(measures);
  const draw = (units: readonly DocumentUnit[], sums: Float64Array, counts: Float64Array) => {
    sums.fill(0);
    counts.fill(0);
    for (let j = 0; j < units.length; j++) {
      const u = units[Math.floor(random() * units.length)]!;
      for (let k = 0; k < measures; k++) {
        sums[k]! += u.sums[k]!;
        counts[k]! += u.counts[k]!;
      }
    }
  };
  for (let i = 0; i < DIFFERENCE_BOOTSTRAP_ITERATIONS; i++) {
    draw(a, sumsA, countsA);
    draw(b, sumsB, countsB);
    for (let k = 0; k < measures; k++) {
      // A resample where a group has nothing to measure has no difference: skipped, not biased.
      if (countsA[k]! > 0 && countsB[k]! > 0) stats[k]!.push(sumsA[k]! / countsA[k]! - sumsB[k]! / countsB[k]!);
    }
  }
  const tail = (1 - level) / 2;
  return stats.map((values) => {
    values.sort((x, y) => x - y);
    return { low: quantile(values, tail), high: quantile(values, 1 - tail) };
  });
}
