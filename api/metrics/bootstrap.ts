import { seededRandom } from './rng.ts';

/** A point estimate with a two-sided confidence interval at `level` (e.g. 0.95). */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  level: number;
}

/** Options for {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples; 2000 by default. */
  iterations?: number;
  /** Seed for the resampling generator; 1 by default, so results are reproducible. */
  seed?: number;
  /** Confidence level in (0, 1); 0.95 by default. */
  level?: number;
}

/**
 * Percentile-bootstrap confidence interval for `statistic` over `units`.
 * Units are resampled with replacement, so callers who want a cluster bootstrap
 * (e.g. passages grouped by Document) pass the clusters as units and let the
 * statistic flatten them. Resamples whose statistic is NaN (e.g. a class absent
 * from the resample) are skipped rather than biasing the interval.
 * The estimate is the statistic on the original units.
 */
export function bootstrapInterval<T>(
  units: readonly T[],
  statistic: (sample: readonly T[]) => number,
  opts: BootstrapOptions = {},
): Interval {
  const iterations = opts.iterations ?? 2000;
  const level = opts.level ?? 0.95;
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`bootstrap iterations must be a positive integer, got ${iterations}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level must be in (0, 1), got ${level}`);
  const estimate = units.length === 0 ? Number.NaN : statistic(units);
  if (units.length === 0) return { estimate, low: Number.NaN, high: Number.NaN, level };

  const random = seededRandom(opts.seed ?? 1);
  const n = units.length;
  const stats: number[] = [];
  const sample: T[] = new Array<T>(n);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < n; j++) sample[j] = units[Math.floor(random() * n)] as T;
    const value = statistic(sample);
    if (!Number.isNaN(value)) stats.push(value);
  }
  if (stats.length === 0) return { estimate, low: Number.NaN, high: Number.NaN, level };
  stats.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { estimate, low: quantile(stats, tail), high: quantile(stats, 1 - tail), level };
}

/** Quantile of sorted values with linear interpolation between order statistics (R type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}
