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

/**
 * One measure's sums over a side's documents with something to measure (count > 0): the
 * ratio estimator Σs/Σn and its document-clustered variance need only these, and they add up
 * over sources and months, so the rollups give them without reading documents.
 */
export interface MeasureSums {
  /** Documents with a count above zero. */
  documents: number;
  /** Σ sums, Σ counts, Σ sums², Σ sums·counts, Σ counts². */
  s: number;
  n: number;
  ss: number;
  sn: number;
  nn: number;
}

/** A side of a comparison as sums: its documents (with anything to measure) and each measure's sums. */
export interface SideSums {
  documents: number;
  measures: MeasureSums[];
}

/** Adds one document's sum `s` over `n` counted items to a measure's sums. */
export function addDocumentSums(m: MeasureSums, s: number, n: number): void {
  m.documents += 1;
  m.s += s;
  m.n += n;
  m.ss += s * s;
  m.sn += s * n;
  m.nn += n * n;
}

/** Adds the sums `from` to `into`. */
export function addMeasureSums(into: MeasureSums, from: MeasureSums): void {
  into.documents += from.documents;
  into.s += from.s;
  into.n += from.n;
  into.ss += from.ss;
  into.sn += from.sn;
  into.nn += from.nn;
}

/** The sums of units, per measure. */
export function sumsOf(units: readonly DocumentUnit[], measures: number): SideSums {
  const out = Array.from({ length: measures }, () => ({ documents: 0, s: 0, n: 0, ss: 0, sn: 0, nn: 0 }));
  for (const u of units) {
    for (let k = 0; k < measures; k++) {
      const n = u.counts[k]!;
      if (n !== 0) addDocumentSums(out[k]!, u.sums[k]!, n);
    }
  }
  return { documents: units.length, measures: out };
}

/**
 * The ratio estimator's variance with documents as clusters (linearised; what the bootstrap
 * converges to): Σ(s − r·n)² · m/(m − 1) / (Σn)², expanded into the sums.
 */
function clusteredVariance(m: MeasureSums, r: number): number {
  if (m.documents < 2) return Number.NaN;
  // The expansion can dip a rounding error below zero when every document has the same ratio.
  const resid = Math.max(0, m.ss - 2 * r * m.sn + r * r * m.nn);
  return (resid * (m.documents / (m.documents - 1))) / (m.n * m.n);
}

const orNull = (v: number) => (Number.isFinite(v) ? v : null);
const ratio = (m: MeasureSums) => (m.n > 0 ? m.s / m.n : Number.NaN);

/**
 * The difference between two groups of documents on each measure, with a 95% interval that
 * treats documents as the sampling unit within each group (passages of one article are not
 * independent, and the groups are sampled apart): a percentile bootstrap that resamples each
 * group's documents separately when they are few enough, else the normal interval from the
 * two groups' document-clustered variances.
 */
export function groupDifferences(a: readonly DocumentUnit[], b: readonly DocumentUnit[], measures: number): { method: DifferenceMethod; level: number; measures: Difference[] } {
  return differencesFromSums(sumsOf(a, measures), sumsOf(b, measures), () => [a, b]);
}

/**
 * groupDifferences from each side's sums; `units` gives the documents themselves, asked only
 * when the sides are few enough to bootstrap (DIFFERENCE_BOOTSTRAP_MAX_DOCUMENTS).
 */
export function differencesFromSums(
  a: SideSums,
  b: SideSums,
  units: () => [readonly DocumentUnit[], readonly DocumentUnit[]],
): { method: DifferenceMethod; level: number; measures: Difference[] } {
  const level = 0.95;
  const estimates = a.measures.map((ma, k) => ({ a: ratio(ma), b: ratio(b.measures[k]!) }));
  const useBootstrap = a.documents + b.documents <= DIFFERENCE_BOOTSTRAP_MAX_DOCUMENTS;
  let bounds: { low: number; high: number }[];
  if (a.documents < 2 || b.documents < 2) bounds = estimates.map(() => ({ low: Number.NaN, high: Number.NaN }));
  else if (useBootstrap) bounds = stratifiedBootstrap(...units(), a.measures.length, level);
  else {
    const z = normalQuantile(level);
    bounds = estimates.map((e, k) => {
      const se = Math.sqrt(clusteredVariance(a.measures[k]!, e.a) + clusteredVariance(b.measures[k]!, e.b));
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
