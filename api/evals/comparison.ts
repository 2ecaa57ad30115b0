import { asc, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { items, providerProfiles, suggestions, taggingRunItems, taggingRuns, type TaggingRun } from '../../db/schema/index.ts';
import { badRequest } from '../errors.ts';
import { bootstrapInterval } from '../metrics/bootstrap.ts';
import { cohenKappa } from '../metrics/agreement.ts';
import { accuracy } from '../metrics/classification.ts';
import { providerLabel } from '../providers/label.ts';
import { getComparison } from '../tagging/comparisons.ts';
import { promptVersionFor, RunRequestSchema } from '../tagging/request.ts';
import { IntervalSchema } from './result.ts';
import { dialectFor, jsonArrayValues } from '../../db/sqlDialect.ts';

const stat = z.number().nullable();
const NO_ANSWER = '(no answer)';

/** One arm of a comparison: a run, what it asked with, its agreement with people, its cost and speed. */
const ArmReportSchema = z.object({
  runId: z.number().int(),
  status: z.string(),
  provider: z.string(),
  model: z.string(),
  /** How the UI names it (providers/label.ts), with the profile's name when the run used one. */
  displayName: z.string(),
  profile: z.string().nullable(),
  promptVersions: z.object({ passage: z.string(), document: z.string() }),
  /** Sample items this arm answered. */
  answered: z.number().int(),
  /** Agreement with the independent human decisions on the sample (unanswered items count as disagreeing); intervals resample documents. */
  humans: z.object({ n: z.number().int(), documents: z.number().int(), accuracy: IntervalSchema, kappa: IntervalSchema }),
  /** From the run's recorded usage: USD per 1,000 items asked (null when no price is known). */
  costPer1000Usd: stat,
  /** ms per request over the run's own answers. */
  latencyMs: z.object({ mean: stat, p50: stat, p95: stat }),
  /** s of model time for 1,000 items asked one at a time (mean latency x 1,000). */
  secondsPer1000: stat,
});

/** The agreement of two arms on the items both answered. */
const PairSchema = z.object({ a: z.number().int(), b: z.number().int(), n: z.number().int(), percentAgreement: stat, kappa: IntervalSchema });

/** An item where the arms differ. */
const DisagreementSchema = z.object({
  itemId: z.number().int(),
  documentId: z.number().int(),
  level: z.enum(['passage', 'document']),
  /** Each arm's label and stance, in arm order; null where the arm gave no answer. */
  answers: z.array(z.object({ label: z.string(), stance: z.number().int() }).nullable()),
  /** The independent human label, when there is one. */
  human: z.string().nullable(),
});

/** Two or more models on the same sample: agreement with people and with each other, cost, speed, and where they differ. */
export const ComparisonReportSchema = z
  .object({
    comparisonId: z.number().int().nullable(),
    name: z.string(),
    /** Items in the compared set (the stored sample, or the items every run shares). */
    items: z.number().int(),
    /** Items of the set with an independent human decision (api/items/provenance.ts). */
    humanDecided: z.number().int(),
    /** True while an arm's run is still pending or running: the figures cover what is answered so far. */
    incomplete: z.boolean(),
    bootstrap: z.object({ iterations: z.number().int(), seed: z.number().int(), unit: z.literal('document') }),
    arms: z.array(ArmReportSchema),
    pairs: z.array(PairSchema),
    disagreements: z.array(DisagreementSchema),
    /** The review queue holding exactly the disagreements (web path), or null when the runs are not one comparison. */
    reviewLink: z.string().nullable(),
  })
  .meta({ id: 'ModelComparisonReport' });
export type ComparisonReport = z.infer<typeof ComparisonReportSchema>;

/** Which runs to compare: a stored comparison, or runs by id. */
export type ComparisonTarget = { comparisonId: number } | { runIds: number[] };

interface Answer {
  label: string;
  stance: number;
}

const fin = (x: number) => (Number.isFinite(x) ? x : null);
const interval = (i: { estimate: number; low: number; high: number; level: number }) => ({ estimate: fin(i.estimate), low: fin(i.low), high: fin(i.high), level: i.level });
const pct = (sorted: number[], p: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);

/**
 * Each run's first answer (sample 0) per item: its own suggestion, or for an item it found in
 * the cache, the newest suggestion asked the same way (provider, model, prompt version, codebook).
 */
function answersOf(db: DbOrTx, run: TaggingRun, itemIds: number[], levelOf: Map<number, 'passage' | 'document'>): Map<number, Answer> {
  const options = RunRequestSchema.parse(run.options);
  const rows = db
    .select({ itemId: suggestions.itemId, runId: suggestions.runId, label: suggestions.label, stance: suggestions.stance, provider: suggestions.provider, model: suggestions.model, promptVersion: suggestions.promptVersion, codebookId: suggestions.codebookId, sampleIndex: suggestions.sampleIndex, id: suggestions.id })
    .from(suggestions)
    .where(sql`${suggestions.itemId} IN (${jsonArrayValues(dialectFor(db), sql`${JSON.stringify(itemIds)}`, 'integer')}) AND (${suggestions.runId} = ${run.id} OR (${suggestions.provider} = ${run.provider} AND ${suggestions.model} = ${run.model} AND ${suggestions.codebookId} = ${run.codebookId}))`)
    .orderBy(asc(suggestions.id))
    .all();
  const own = new Map<number, Answer>();
  const cached = new Map<number, Answer>();
  for (const s of rows) {
    if (s.sampleIndex !== 0) continue;
    if (s.runId === run.id) {
      if (!own.has(s.itemId)) own.set(s.itemId, { label: s.label, stance: s.stance });
    } else if (s.promptVersion === promptVersionFor(options, levelOf.get(s.itemId)!)) cached.set(s.itemId, { label: s.label, stance: s.stance });
  }
  for (const [itemId, a] of cached) if (!own.has(itemId)) own.set(itemId, a);
  return own;
}

function runsOf(db: DbOrTx, target: ComparisonTarget): { comparisonId: number | null; name: string; runs: TaggingRun[]; itemIds: number[] } {
  if ('comparisonId' in target) {
    const c = getComparison(db, target.comparisonId);
    const itemIds = db.all<{ id: number }>(sql`SELECT item_id AS id FROM model_comparison_items WHERE comparison_id = ${target.comparisonId} ORDER BY item_id`).map((r) => r.id);
    return { comparisonId: c.comparison.id, name: c.comparison.name, runs: c.runs, itemIds };
  }
  const ids = [...new Set(target.runIds)];
  if (ids.length < 2) throw badRequest('a comparison needs at least two distinct runs', 'invalid_options');
  const runs = db.select().from(taggingRuns).where(inArray(taggingRuns.id, ids)).all();
  const missing = ids.filter((id) => !runs.some((r) => r.id === id));
  if (missing.length > 0) throw badRequest(`tagging run ${missing.join(', ')} not found`, 'invalid_options');
  runs.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  // Runs over different selections are compared on the items all of them were asked about.
  const itemIds = db
    .select({ id: taggingRunItems.itemId })
    .from(taggingRunItems)
    .where(inArray(taggingRunItems.runId, ids))
    .groupBy(taggingRunItems.itemId)
    .having(sql`count(DISTINCT ${taggingRunItems.runId}) = ${ids.length}`)
    .orderBy(asc(taggingRunItems.itemId))
    .all()
    .map((r) => r.id);
  const comparisonIds = new Set(runs.map((r) => r.comparisonId));
  const shared = comparisonIds.size === 1 ? [...comparisonIds][0]! : null;
  return { comparisonId: shared, name: `runs ${ids.join(', ')}`, runs, itemIds };
}

/**
 * Compares the runs of a comparison (or any runs, on the items they share): per arm, agreement
 * with the independent human decisions so far (accuracy and Cohen's kappa, 95% intervals from a
 * bootstrap over documents), agreement between each pair of arms (kappa on items both answered),
 * cost and latency per 1,000 items from the runs' recorded usage, and every item where the arms'
 * labels differ. Reads at most MAX_COMPARISON_SAMPLE items per arm.
 */
export function compareRuns(db: DbOrTx, target: ComparisonTarget, opts: { iterations?: number; seed?: number } = {}): ComparisonReport {
  const iterations = opts.iterations ?? 2000;
  const seed = opts.seed ?? 1;
  const { comparisonId, name, runs, itemIds } = runsOf(db, target);
  const rows = itemIds.length === 0 ? [] : db.select({ id: items.id, documentId: items.documentId, level: items.level, human: items.independentLabel }).from(items).where(sql`${items.id} IN (${jsonArrayValues(dialectFor(db), sql`${JSON.stringify(itemIds)}`, 'integer')})`).orderBy(asc(items.id)).all();
  const levelOf = new Map(rows.map((r) => [r.id, r.level]));
  const answers = runs.map((run) => answersOf(db, run, itemIds, levelOf));
  const profiles = new Map(db.select({ id: providerProfiles.id, name: providerProfiles.name }).from(providerProfiles).all().map((p) => [p.id, p.name]));

  const decided = rows.filter((r) => r.human !== null);
  const byDocument = (xs: typeof rows) => {
    const groups = new Map<number, typeof rows>();
    for (const r of xs) groups.set(r.documentId, [...(groups.get(r.documentId) ?? []), r]);
    return [...groups.values()];
  };
  const humanUnits = byDocument(decided);
  const ci = <T>(units: T[][], statistic: (flat: T[]) => number) => interval(bootstrapInterval(units, (s) => statistic(s.flat()), { iterations, seed }));

  const arms = runs.map((run, a) => {
    const options = RunRequestSchema.parse(run.options);
    const mine = answers[a]!;
    const labelOf = (r: (typeof rows)[number]) => mine.get(r.id)?.label ?? null;
    const latencies = db
      .select({ ms: suggestions.latencyMs })
      .from(suggestions)
      .where(sql`${suggestions.runId} = ${run.id} AND ${suggestions.latencyMs} IS NOT NULL AND ${suggestions.latencyMs} > 0`)
      .all()
      .map((r) => r.ms!)
      .sort((x, y) => x - y);
    const meanMs = latencies.length === 0 ? null : latencies.reduce((s, x) => s + x, 0) / latencies.length;
    const asked = run.itemsDone + run.itemsFailed;
    const priced = db.get<{ n: number; priced: number }>(sql`SELECT count(*) AS n, count(cost_usd) AS priced FROM suggestions WHERE run_id = ${run.id}`);
    const profileName = options.profileId !== undefined ? (profiles.get(options.profileId) ?? `profile ${options.profileId}`) : null;
    return {
      runId: run.id,
      status: run.status,
      provider: run.provider,
      model: run.model,
      displayName: `${providerLabel(run.provider, run.model)}${profileName ? ` via profile "${profileName}"` : ''}`,
      profile: profileName,
      promptVersions: { passage: promptVersionFor(options, 'passage'), document: promptVersionFor(options, 'document') },
      answered: rows.filter((r) => mine.has(r.id)).length,
      humans: {
        n: decided.length,
        documents: humanUnits.length,
        accuracy: ci(humanUnits, (s) => accuracy(s.map((r) => r.human!), s.map(labelOf))),
        kappa: ci(humanUnits, (s) => cohenKappa(s.map((r) => r.human!), s.map((r) => labelOf(r) ?? NO_ANSWER))),
      },
      // No price known: the run's answers carry no cost, and a total of 0 would read as free.
      costPer1000Usd: asked === 0 || (priced.n > 0 && priced.priced === 0) ? null : (run.costUsd / asked) * 1000,
      latencyMs: { mean: meanMs, p50: pct(latencies, 0.5), p95: pct(latencies, 0.95) },
      // mean ms per item x 1,000 items / 1,000 ms per s: the mean in ms is the seconds per 1,000.
      secondsPer1000: meanMs,
    };
  });

  const pairs = [];
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) {
      const both = rows.filter((r) => answers[a]!.has(r.id) && answers[b]!.has(r.id));
      const same = both.filter((r) => answers[a]!.get(r.id)!.label === answers[b]!.get(r.id)!.label).length;
      pairs.push({
        a: runs[a]!.id,
        b: runs[b]!.id,
        n: both.length,
        percentAgreement: both.length === 0 ? null : same / both.length,
        kappa: ci(byDocument(both), (s) => cohenKappa(s.map((r) => answers[a]!.get(r.id)!.label), s.map((r) => answers[b]!.get(r.id)!.label))),
      });
    }
  }

  const disagreements = rows
    .filter((r) => {
      const labels = answers.map((m) => m.get(r.id)?.label).filter((l): l is string => l !== undefined);
      return labels.length >= 2 && new Set(labels).size > 1;
    })
    .map((r) => ({ itemId: r.id, documentId: r.documentId, level: r.level, answers: answers.map((m) => m.get(r.id) ?? null), human: r.human }));
  const levels = [...new Set(disagreements.map((d) => d.level))];
  return {
    comparisonId,
    name,
    items: rows.length,
    humanDecided: decided.length,
    incomplete: runs.some((r) => r.status === 'pending' || r.status === 'running'),
    bootstrap: { iterations, seed, unit: 'document' },
    arms,
    pairs,
    disagreements,
    reviewLink: comparisonId === null ? null : `/review?comparison=${comparisonId}&disagree=1&level=${levels.length === 1 ? levels[0] : 'passage'}&order=document`,
  };
}

/** The item ids where a comparison's arms differ: what `comparison=ID&disagree=1` opens in the review queue. */
export function comparisonDisagreements(db: DbOrTx, comparisonId: number): number[] {
  return compareRuns(db, { comparisonId }, { iterations: 1 }).disagreements.map((d) => d.itemId);
}
