/**
 * Jensen–Shannon distance between two count (or weight) vectors over the same categories:
 * the square root of the Jensen–Shannon divergence with base-2 logarithms, so it lies in
 * [0, 1] (0: identical profiles, 1: no category in common) and is a true metric.
 * NaN when either vector is all zeros (no profile to compare).
 */
export function jensenShannonDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`jensenShannonDistance needs vectors of one length: got ${a.length} and ${b.length}`);
  const sa = a.reduce((s, v) => s + v, 0);
  const sb = b.reduce((s, v) => s + v, 0);
  if (sa <= 0 || sb <= 0) return Number.NaN;
  let divergence = 0;
  for (let k = 0; k < a.length; k++) {
    const p = a[k]! / sa;
    const q = b[k]! / sb;
    const m = (p + q) / 2;
    if (p > 0) divergence += 0.5 * p * Math.log2(p / m);
    if (q > 0) divergence += 0.5 * q * Math.log2(q / m);
  }
  // Rounding can leave a tiny negative divergence for identical profiles.
  return Math.sqrt(Math.max(0, divergence));
}
