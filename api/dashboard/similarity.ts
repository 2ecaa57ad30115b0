/**
 * Jensen–Shannon distance between two count (or weight) vectors over the same categories:
 * the square root of the Jensen–Shannon divergence with base-2 logarithms, so it lies in
 * [0, 1] (0: identical profiles, 1: no category in common) and is a true metric.
 * NaN when either vector is all zeros (no profile to compare).
 */
export function jensenShannonDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`jensenShannonDistance needs vectors of one length: got ${a.length} and ${b.length}`);
  const p = shares(a);
  const q = shares(b);
  return p === null || q === null ? Number.NaN : jensenShannonDistanceOfShares(p, q);
}

/** A count vector as shares of its total; null when the total is not positive. */
export function shares(v: readonly number[]): number[] | null {
  const total = v.reduce((s, x) => s + x, 0);
  return total <= 0 ? null : v.map((x) => x / total);
}

/**
 * {@link jensenShannonDistance} of two share vectors of one length (from {@link shares}), so
 * comparing every pair of n sources normalises each profile once instead of n times.
 */
export function jensenShannonDistanceOfShares(p: readonly number[], q: readonly number[]): number {
  let divergence = 0;
  for (let k = 0; k < p.length; k++) {
    const m = (p[k]! + q[k]!) / 2;
    if (p[k]! > 0) divergence += 0.5 * p[k]! * Math.log2(p[k]! / m);
    if (q[k]! > 0) divergence += 0.5 * q[k]! * Math.log2(q[k]! / m);
  }
  // Rounding can leave a tiny negative divergence for identical profiles.
  return Math.sqrt(Math.max(0, divergence));
}
