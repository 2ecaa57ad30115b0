import { z } from 'zod';
import type { Interval } from '../metrics/bootstrap.ts';

/**
 * Design-based correction of model labels with a random reviewed sample, in the spirit of
 * design-based supervised learning (Egami et al. 2023). For every counted item the model gives
 * Ŷ (an indicator for a label, or a stance); on a simple random sample of those items a person
 * gives Y. The pseudo-outcome Ỹ = Ŷ + (R/π)(Y − Ŷ), with R = 1 for sampled items and π the
 * sampling fraction, has the true mean as its expectation whatever the model's errors, so its
 * mean (the model mean plus the mean correction seen in the sample) is unbiased and its
 * variance accounts for both the model-labelled items and the reviewed sample.
 *
 * Everything is computed from sums the SQL aggregates return, never from rows.
 */

/** Sufficient statistics for one source and one outcome (a label share or the stance). */
export interface CorrectionSums {
  /** Items with a model value Ŷ. */
  n: number;
  sumModel: number;
  sumModelSq: number;
  /** Items of the random reviewed sample (a subset of the n) with a human value Y. */
  nSample: number;
  /** Σ (Y − Ŷ) over the sample. */
  sumDiff: number;
  sumDiffSq: number;
  /** Σ Ŷ (Y − Ŷ) over the sample. */
  sumModelDiff: number;
}

const NormalIntervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number(), level: z.number() });

/** Model-only and corrected estimates for one source and outcome. */
export const CorrectedEstimateSchema = z
  .object({
    /** Mean of the model values with a normal interval that ignores model error. */
    model: NormalIntervalSchema.nullable(),
    /** Model mean plus the sample's mean correction; null when the sample has fewer than 2 items. */
    corrected: NormalIntervalSchema.nullable(),
    /** Mean of Y − Ŷ on the sample. */
    correction: z.number().nullable(),
    nSample: z.number().int(),
  })
  .meta({ id: 'CorrectedEstimate' });
export type CorrectedEstimate = z.infer<typeof CorrectedEstimateSchema>;

/** Two-sided standard-normal quantile for the usual levels (0.90, 0.95, 0.99). */
export function normalQuantile(level: number): number {
  const table: Record<string, number> = { '0.9': 1.6448536269514722, '0.95': 1.959963984540054, '0.99': 2.5758293035489004 };
  const z = table[String(level)];
  if (z === undefined) throw new RangeError(`unsupported confidence level ${level}: use 0.9, 0.95 or 0.99`);
  return z;
}

function interval(estimate: number, se: number, level: number): Interval {
  const z = normalQuantile(level);
  return { estimate, low: estimate - z * se, high: estimate + z * se, level };
}

/** The model-only and the corrected estimate from sums (see the module comment for the method). */
export function correctedEstimate(s: CorrectionSums, level = 0.95): CorrectedEstimate {
  if (s.n === 0) return { model: null, corrected: null, correction: null, nSample: s.nSample };
  const meanModel = s.sumModel / s.n;
  const varModel = s.n > 1 ? Math.max(0, (s.sumModelSq - s.n * meanModel * meanModel) / (s.n - 1)) : 0;
  const model = interval(meanModel, Math.sqrt(varModel / s.n), level);
  if (s.nSample < 2) return { model, corrected: null, correction: s.nSample === 1 ? s.sumDiff : null, nSample: s.nSample };

  const pi = s.nSample / s.n;
  const correction = s.sumDiff / s.nSample;
  const mean = meanModel + correction;
  // Σ Ỹ² expands into sums the SQL already has: Ŷ² everywhere, plus the sample's cross and square terms.
  const sumPseudoSq = s.sumModelSq + (2 / pi) * s.sumModelDiff + s.sumDiffSq / (pi * pi);
  const varPseudo = Math.max(0, (sumPseudoSq - s.n * mean * mean) / (s.n - 1));
  return { model, corrected: interval(mean, Math.sqrt(varPseudo / s.n), level), correction, nSample: s.nSample };
}

/**
 * An estimate with its intervals kept on the outcome's scale (a share in 0..1, a stance in its
 * range): a normal interval near the end of a bounded scale, or a correction, can run past it,
 * and a share of -3% or 104% means nothing to a reader.
 */
export function withinScale(e: CorrectedEstimate, min: number, max: number): CorrectedEstimate {
  const clamp = (x: number) => Math.min(max, Math.max(min, x));
  const keep = (i: CorrectedEstimate['model']) => i && { ...i, estimate: clamp(i.estimate), low: clamp(i.low), high: clamp(i.high) };
  return { ...e, model: keep(e.model), corrected: keep(e.corrected) };
}
