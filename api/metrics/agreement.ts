/**
 * Inter-rater agreement statistics. Pure functions over plain arrays so the review workspace,
 * the evals and the dashboard compute the same numbers from the same definitions.
 *
 * A statistic that is undefined for its input (no pairable ratings, or no variation at all so
 * chance agreement is total) returns NaN rather than a made-up 0 or 1: the caller decides how
 * to show "not enough data".
 */

/**
 * Percent agreement: for each unit with at least two non-null ratings, the share of rater
 * pairs that gave the same value; then the mean over those units (0..1).
 */
export function percentAgreement(units: ReadonlyArray<ReadonlyArray<string | null>>): number {
  let sum = 0;
  let counted = 0;
  for (const unit of units) {
    const ratings = unit.filter((r): r is string => r !== null);
    const m = ratings.length;
    if (m < 2) continue;
    const counts = countValues(ratings);
    let agreeingPairs = 0;
    for (const n of counts.values()) agreeingPairs += (n * (n - 1)) / 2;
    sum += agreeingPairs / ((m * (m - 1)) / 2);
    counted += 1;
  }
  return counted === 0 ? Number.NaN : sum / counted;
}

/**
 * Cohen's kappa for two raters who rated the same units in the same order:
 * (p_o − p_e) / (1 − p_e), with p_e from each rater's own marginal distribution.
 */
export function cohenKappa(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) throw new Error(`cohenKappa needs paired ratings: got ${a.length} and ${b.length}`);
  const n = a.length;
  if (n === 0) return Number.NaN;
  let observed = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) observed += 1;
  const ca = countValues(a);
  const cb = countValues(b);
  let expected = 0;
  for (const [value, na] of ca) expected += (na / n) * ((cb.get(value) ?? 0) / n);
  const po = observed / n;
  if (expected === 1) return Number.NaN;
  return (po - expected) / (1 - expected);
}

/**
 * {@link cohenKappa} from a confusion table: each cell counts the units rater a gave `a` and rater
 * b gave `b`, so a table of many thousands of pairs costs a pass over its few cells.
 */
export function cohenKappaOfCounts(cells: ReadonlyArray<{ a: string; b: string; count: number }>): number {
  let n = 0;
  let observed = 0;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  for (const { a, b, count } of cells) {
    n += count;
    if (a === b) observed += count;
    ca.set(a, (ca.get(a) ?? 0) + count);
    cb.set(b, (cb.get(b) ?? 0) + count);
  }
  if (n === 0) return Number.NaN;
  let expected = 0;
  for (const [value, na] of ca) expected += (na / n) * ((cb.get(value) ?? 0) / n);
  if (expected === 1) return Number.NaN;
  return (observed / n - expected) / (1 - expected);
}

/**
 * Fleiss' kappa: every unit carries the same number (>= 2) of ratings, raters need not be the
 * same people across units.
 */
export function fleissKappa(units: ReadonlyArray<ReadonlyArray<string>>): number {
  if (units.length === 0) return Number.NaN;
  const m = units[0]!.length;
  if (m < 2) throw new Error(`fleissKappa needs at least 2 ratings per unit, got ${m}`);
  const totals = new Map<string, number>();
  let pBarSum = 0;
  for (const unit of units) {
    if (unit.length !== m) throw new Error(`fleissKappa needs the same number of ratings per unit: ${unit.length} vs ${m}`);
    const counts = countValues(unit);
    let agreeing = 0;
    for (const [value, n] of counts) {
      agreeing += n * (n - 1);
      totals.set(value, (totals.get(value) ?? 0) + n);
    }
    pBarSum += agreeing / (m * (m - 1));
  }
  const pBar = pBarSum / units.length;
  const all = units.length * m;
  let pe = 0;
  for (const n of totals.values()) pe += (n / all) ** 2;
  if (pe === 1) return Number.NaN;
  return (pBar - pe) / (1 - pe);
}

/** Distance metrics for Krippendorff's alpha. */
export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha, 1 − D_o / D_e, from the coincidence matrix (Krippendorff 2011,
 * "Computing Krippendorff's Alpha-Reliability"). `units[u][c]` is coder c's value for unit u,
 * null when missing; units with fewer than two values are not pairable and are ignored.
 * Ordinal ranks values in their natural order (numbers numerically, strings lexicographically);
 * interval needs numbers.
 */
export function krippendorffAlpha(
  units: ReadonlyArray<ReadonlyArray<string | number | null>>,
  metric: AlphaMetric = 'nominal',
): number {
  const coincidence = new Map<string | number, Map<string | number, number>>();
  const add = (c: string | number, k: string | number, w: number) => {
    let row = coincidence.get(c);
    if (!row) coincidence.set(c, (row = new Map()));
    row.set(k, (row.get(k) ?? 0) + w);
  };
  for (const unit of units) {
    const values = unit.filter((v): v is string | number => v !== null);
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) if (i !== j) add(values[i]!, values[j]!, 1 / (m - 1));
    }
  }
  const values = [...coincidence.keys()].sort(compareValues);
  if (values.length === 0) return Number.NaN;
  if (metric === 'interval' && values.some((v) => typeof v !== 'number')) {
    throw new Error('krippendorffAlpha: the interval metric needs numeric values');
  }
  const marginal = new Map(values.map((v) => [v, sum(coincidence.get(v)!.values())]));
  const n = sum(marginal.values());
  const rank = new Map(values.map((v, i) => [v, i]));
  const delta = (c: string | number, k: string | number): number => {
    if (c === k) return 0;
    if (metric === 'nominal') return 1;
    if (metric === 'interval') return ((c as number) - (k as number)) ** 2;
    const [lo, hi] = [rank.get(c)!, rank.get(k)!].sort((x, y) => x - y) as [number, number];
    let between = 0;
    for (let g = lo; g <= hi; g++) between += marginal.get(values[g]!)!;
    return (between - (marginal.get(c)! + marginal.get(k)!) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (const c of values) {
    for (const k of values) {
      if (c === k) continue;
      const d = delta(c, k);
      observed += (coincidence.get(c)!.get(k) ?? 0) * d;
      expected += marginal.get(c)! * marginal.get(k)! * d;
    }
  }
  if (expected === 0) return Number.NaN;
  return 1 - ((n - 1) * observed) / expected;
}

function countValues<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
