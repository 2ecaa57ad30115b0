/**
 * Seeded pseudo-random numbers, so every resample, fold split and shuffle in
 * evals and statistics can be reproduced exactly from a published seed.
 */

/**
 * Returns a generator of uniform numbers in [0, 1) from a 32-bit seed
 * (mulberry32: tiny, fast, and good enough for resampling; not cryptographic).
 * The same seed always yields the same sequence.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
