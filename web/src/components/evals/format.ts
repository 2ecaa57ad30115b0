import type { StatInterval } from '../../lib/api/evals.ts';

/** A metric with 3 decimals; result files carry null where the data leaves a number undefined. */
export function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

/** `estimate [low, high]` for a bootstrap interval. */
export function fmtInterval(i: StatInterval): string {
  return `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`;
}
