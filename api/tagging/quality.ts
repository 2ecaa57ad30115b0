import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { cohenKappa } from '../metrics/agreement.ts';
import { bootstrapInterval } from '../metrics/bootstrap.ts';

/**
 * How good a model's suggestions have been on this database: each suggestion made before a
 * person decided the item, against that item's independent human label (api/items/provenance.ts;
 * bulk accepts never count, and a suggestion made after the decision, which a retrained model
 * may have learned from, is not scored). Measured per provider family: the local baseline across
 * its trained versions, and each named model of other providers.
 */

/** Independent decisions a model must be scored on before its figures are shown. */
export const MIN_MEASURED = 30;
/** A suggestion whose confidence is within this of an even guess over the codebook's labels is marked close to a guess. */
export const NEAR_GUESS_MARGIN = 0.1;

/** Whether a suggestion's confidence is close to an even guess over `labels` labels. */
export function nearGuess(confidence: number | null, labels: number): boolean {
  return confidence !== null && labels > 0 && confidence < 1 / labels + NEAR_GUESS_MARGIN;
}

const IntervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });

/** One model family's measured quality. */
export const ModelQualitySchema = z
  .object({
    provider: z.string(),
    /** The model as named (the local baseline: `local-baseline`, all its trained versions together). */
    model: z.string(),
    /** Items scored: a suggestion before an independent human decision. */
    n: z.number().int(),
    /** measured: n >= MIN_MEASURED; not-yet: too few independent decisions so far to say. */
    status: z.enum(['measured', 'not-yet']),
    minimum: z.number().int(),
    /** Share of items whose suggested label the person gave, with a bootstrap 95% interval (null until measured). */
    accuracy: IntervalSchema.nullable(),
    /** Cohen's kappa of model against people (0: chance), with a bootstrap 95% interval. */
    kappa: IntervalSchema.nullable(),
    /** Accuracy of always answering the people's most common label: what a guess achieves. */
    guessAccuracy: z.number().nullable(),
    /** The measured accuracy's interval reaches down to the guess, or kappa's to zero. */
    closeToGuess: z.boolean().nullable(),
    /** One sentence for the pages that show the model's suggestions. */
    summary: z.string(),
  })
  .meta({ id: 'ModelQuality' });
export type ModelQuality = z.infer<typeof ModelQualitySchema>;

export const ModelQualityListSchema = z
  .object({ models: z.array(ModelQualitySchema), nearGuessBelow: z.number().meta({ description: 'Suggestions with a lower confidence are marked close to a guess' }) })
  .meta({ id: 'ModelQualityList' });

const LOCAL_FAMILY = 'local-baseline';

const pct = (x: number) => `${Math.round(x * 100)}%`;

function summarise(q: Omit<ModelQuality, 'summary'>): string {
  const name = q.provider === 'local' ? 'The local baseline' : `${q.provider} / ${q.model}`;
  if (q.status === 'not-yet') {
    return `${name}: not yet measured — ${q.n} of the ${q.minimum} independent human decisions on items it suggested that a measurement needs.`;
  }
  const a = q.accuracy!;
  const k = q.kappa!;
  const verdict = q.closeToGuess ? ' — close to a guess' : '';
  return `${name}, measured on ${q.n} independent human decisions here: accuracy ${pct(a.estimate)} [${pct(a.low)}, ${pct(a.high)}] (always guessing the commonest label: ${pct(q.guessAccuracy!)}), κ ${k.estimate.toFixed(2)} [${k.low.toFixed(2)}, ${k.high.toFixed(2)}]${verdict}.`;
}

/** Measured quality of every model family that has suggestions, local baseline first. */
export function modelQuality(db: Db): z.infer<typeof ModelQualityListSchema> {
  const labels = getActiveCodebook(db).definition.labels.length;
  // Per item: the latest suggestion of each family made before its independent decision.
  const pairs = db.all<{ provider: string; model: string; suggested: string; people: string }>(sql`
    SELECT s.provider, CASE WHEN s.provider = 'local' THEN ${LOCAL_FAMILY} ELSE s.model END AS model, s.label AS suggested, i.independent_label AS people
    FROM items i JOIN reviews r ON r.id = i.independent_review_id JOIN suggestions s ON s.item_id = i.id
    WHERE i.independent_label IS NOT NULL AND i.excluded = FALSE AND s.created_at <= r.created_at
      AND s.id = (SELECT max(x.id) FROM suggestions x WHERE x.item_id = i.id AND x.provider = s.provider
                  AND (s.provider = 'local' OR x.model = s.model) AND x.created_at <= r.created_at)
    ORDER BY i.id`);
  const families = db.all<{ provider: string; model: string }>(sql`
    SELECT provider, model FROM (SELECT DISTINCT provider, CASE WHEN provider = 'local' THEN ${LOCAL_FAMILY} ELSE model END AS model FROM suggestion_provenance) AS families
    ORDER BY provider <> 'local', provider, model`);
  const models = families.map(({ provider, model }) => {
    const mine = pairs.filter((p) => p.provider === provider && p.model === model);
    const base = { provider, model, n: mine.length, minimum: MIN_MEASURED };
    if (mine.length < MIN_MEASURED) {
      const q = { ...base, status: 'not-yet' as const, accuracy: null, kappa: null, guessAccuracy: null, closeToGuess: null };
      return { ...q, summary: summarise(q) };
    }
    const opts = { iterations: 1000, seed: 7, level: 0.95 };
    const acc = bootstrapInterval(mine, (s) => s.filter((p) => p.suggested === p.people).length / s.length, opts);
    const kap = bootstrapInterval(mine, (s) => {
      const k = cohenKappa(s.map((p) => p.suggested), s.map((p) => p.people));
      return Number.isFinite(k) ? k : 0;
    }, opts);
    const counts = new Map<string, number>();
    for (const p of mine) counts.set(p.people, (counts.get(p.people) ?? 0) + 1);
    const guessAccuracy = Math.max(...counts.values()) / mine.length;
    const q = {
      ...base,
      status: 'measured' as const,
      accuracy: { estimate: acc.estimate, low: acc.low, high: acc.high },
      kappa: { estimate: kap.estimate, low: kap.low, high: kap.high },
      guessAccuracy,
      closeToGuess: acc.low <= guessAccuracy || kap.low <= 0,
    };
    return { ...q, summary: summarise(q) };
  });
  return { models, nearGuessBelow: labels > 0 ? 1 / labels + NEAR_GUESS_MARGIN : 0 };
}
