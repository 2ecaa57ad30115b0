import type { CodebookDefinition } from '../codebooks/definition.ts';
import { bootstrapInterval, quantile } from '../metrics/bootstrap.ts';
import { accuracy, binaryScores, calibration, confusionMatrix, macroF1, meanAbsoluteError, multilabelScores, perLabelScores, spearman } from '../metrics/classification.ts';
import { cohenKappa, krippendorffAlpha } from '../metrics/agreement.ts';
import { seededRandom } from '../metrics/rng.ts';
import type { Provider, ProviderErrorKind } from '../providers/types.ts';
import { trainLocalBaseline, type TrainingExample } from '../providers/local.ts';
import { promptFor, suggestForText, type CodebookRef, type SuggestionDraft } from '../tagging/suggest.ts';
import type { GoldItem, GoldSet } from './gold.ts';
import { newRecording, recordingProvider, replayProvider, type Recording } from './replay.ts';
import type { EvalItemResult, EvalProtocol, EvalResult, HumanBaseline } from './result.ts';

/** What to evaluate and how. */
export interface EvalOptions {
  /** Builds the provider to evaluate; for `local` the runner trains one per fold instead. */
  provider: { name: Provider['name']; create: () => Provider };
  codebook: CodebookRef;
  gold: GoldSet;
  /** Prompt version for passages and documents (defaults: the current templates). */
  promptVersion?: { passage?: string; document?: string };
  /** Asks per item; with 2 or more, run-to-run agreement is reported. */
  repeats?: number;
  /** Also ask with the outlet named and compare to the masked answers. */
  outletBias?: boolean;
  /** Cross-validation folds for the local baseline (default 5, at most the number of groups). */
  folds?: number;
  /**
   * What a fold holds whole: `source` (default: every outlet's items in one fold, so the model is
   * scored on outlets it never trained on) or `document` (optimistic: the same outlet appears in
   * training and test).
   */
  groupBy?: EvalGrouping;
  /**
   * Train one local baseline on these examples and score every gold item once (a held-out set,
   * e.g. an evaluation-only import) instead of cross-validating on the gold set.
   */
  heldOut?: { examples: TrainingExample[]; note: string };
  seed?: number;
  bootstrapIterations?: number;
  /** Parallel requests. */
  concurrency?: number;
  /** Answers recorded earlier: replayed instead of asking the provider. */
  replay?: Recording;
  /** Collects every raw answer, for --record. */
  record?: boolean;
  /** Called after every request. */
  onProgress?: (done: number, total: number) => void;
  /** Human-human and model-human agreement, when the database has items with several reviews. */
  humanBaseline?: (predictions: Map<string, string>) => HumanBaseline | null;
  now?: () => Date;
  /** The databases the gold set, training set or human baseline came from (result provenance). */
  databases?: EvalResult['provenance']['sources']['databases'];
  /** Result name; default provider-model-date. */
  name?: string;
}

interface Ask {
  item: GoldItem;
  index: number;
  sample: number;
  masked: boolean;
  fold: number | null;
}

interface Answer {
  suggestion: SuggestionDraft | null;
  error: ProviderErrorKind | null;
  costUsd: number | null;
}

const BOOTSTRAP_CLUSTER_MIN_DOCUMENTS = 10;
const NO_ANSWER = '(no answer)';

/** What a cross-validation fold keeps together. */
export type EvalGrouping = 'source' | 'document';

/** The group an item's fold is chosen by: its outlet (items without a known one stay with their document), or its document. */
export function groupKey(item: Pick<GoldItem, 'sourceName' | 'documentKey'>, groupBy: EvalGrouping): string {
  return groupBy === 'source' && item.sourceName !== null ? `source:${item.sourceName}` : `document:${item.documentKey}`;
}

/**
 * Assigns groups (outlets or documents) to `k` folds after a seeded shuffle, so the items of one
 * group never straddle training and test. Returns the fold of every group key.
 */
export function foldsByGroup(groupKeys: readonly string[], k: number, seed: number): Map<string, number> {
  const unique = [...new Set(groupKeys)].sort();
  const random = seededRandom(seed);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  return new Map(unique.map((key, i) => [key, i % k]));
}

function trainingExamples(items: readonly GoldItem[]): TrainingExample[] {
  return items.filter((i) => !i.excluded && i.label !== null).map((i) => ({ text: i.text, label: i.label!, stance: i.stance, themes: i.themes, level: i.level }));
}

async function runPool<T>(tasks: readonly T[], concurrency: number, work: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await work(task);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);

/**
 * Runs `provider` on every gold item through the app's single-item tagging path
 * (suggestForText, outlet masked) and scores the answers. The local baseline is trained and
 * scored by cross-validation with folds grouped by outlet (or by document, on request), or
 * trained once on `heldOut` examples; other providers are scored on all items. Returns the result and, when asked to record, the raw answers.
 */
export async function runEval(options: EvalOptions): Promise<{ result: EvalResult; recording: Recording | null }> {
  const gold = options.gold;
  const codebook = options.codebook.definition;
  const repeats = options.repeats ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a positive integer, got ${repeats}`);
  const seed = options.seed ?? 1;
  const concurrency = options.concurrency ?? 4;
  const documents = [...new Set(gold.items.map((i) => i.documentKey))];
  const groupBy = options.groupBy ?? 'source';
  const groupOf = (i: GoldItem) => groupKey(i, groupBy);
  const groups = [...new Set(gold.items.map(groupOf))];

  // Which provider answers which item.
  const crossValidate = options.provider.name === 'local' && !options.heldOut;
  const k = Math.min(options.folds ?? 5, groups.length);
  if (crossValidate && k < 2) {
    throw new RangeError(groupBy === 'source' ? 'cross-validation of the local baseline grouped by outlet needs gold items from at least two outlets (group by document only on request: it is optimistic)' : 'cross-validation of the local baseline needs gold items from at least two Documents');
  }
  const foldByGroup = crossValidate ? foldsByGroup(groups, k, seed) : null;
  const foldOf = foldByGroup ? new Map(gold.items.map((i) => [i.id, foldByGroup.get(groupOf(i))!])) : null;
  let recording: Recording | null = null;
  const providers: Provider[] = [];
  if (options.replay) {
    const replay = replayProvider(options.replay);
    for (let f = 0; f < (crossValidate ? k : 1); f++) providers.push(replay);
  } else if (crossValidate) {
    for (let f = 0; f < k; f++) providers.push(trainLocalBaseline(codebook, trainingExamples(gold.items.filter((i) => foldOf!.get(i.id) !== f))));
  } else if (options.heldOut && options.provider.name === 'local') {
    providers.push(trainLocalBaseline(codebook, options.heldOut.examples));
  } else {
    providers.push(options.provider.create());
  }
  const described = providers[0]!;
  if (options.record) {
    recording = newRecording(described);
    for (let f = 0; f < providers.length; f++) providers[f] = recordingProvider(providers[f]!, recording);
  }

  const asks: Ask[] = [];
  gold.items.forEach((item, index) => {
    const fold = foldOf ? foldOf.get(item.id)! : null;
    for (let sample = 0; sample < repeats; sample++) asks.push({ item, index, sample, masked: true, fold });
    if (options.outletBias && !item.excluded) asks.push({ item, index, sample: 0, masked: false, fold });
  });
  const answers = new Map<string, Answer>();
  const keyOf = (index: number, sample: number, masked: boolean) => `${index}:${sample}:${masked ? 'm' : 'u'}`;
  let done = 0;
  await runPool(asks, concurrency, async (ask) => {
    const provider = providers[ask.fold ?? 0]!;
    const r = await suggestForText(
      provider,
      {
        codebook: options.codebook,
        level: ask.item.level,
        text: ask.item.text,
        sourceName: ask.item.sourceName,
        documentTitle: ask.item.documentTitle,
        maskOutlet: ask.masked,
        promptVersion: options.promptVersion?.[ask.item.level],
      },
      { maxAttempts: 3 },
    );
    answers.set(keyOf(ask.index, ask.sample, ask.masked), r.ok ? { suggestion: r.suggestion, error: null, costUsd: r.suggestion.costUsd } : { suggestion: null, error: r.errorKind, costUsd: r.costUsd });
    options.onProgress?.(++done, asks.length);
  });

  const itemResults: EvalItemResult[] = gold.items.map((item, index) => {
    const first = answers.get(keyOf(index, 0, true))!;
    const s = first.suggestion;
    const unmasked = options.outletBias && !item.excluded ? answers.get(keyOf(index, 0, false))! : null;
    return {
      id: item.id,
      level: item.level,
      documentKey: item.documentKey,
      gold: { excluded: item.excluded, label: item.label, stance: item.stance, themes: item.themes },
      predicted: s
        ? { label: s.label, stance: s.stance, themes: s.themes, confidence: s.confidence, substantive: s.substantive, evidenceVerified: s.evidence.filter((e) => e.verified).length, evidenceTotal: s.evidence.length }
        : null,
      error: first.error,
      repeatLabels: Array.from({ length: repeats }, (_, sample) => answers.get(keyOf(index, sample, true))!.suggestion?.label ?? null),
      repeatStances: Array.from({ length: repeats }, (_, sample) => answers.get(keyOf(index, sample, true))!.suggestion?.stance ?? null),
      ...(unmasked ? { unmaskedLabel: unmasked.suggestion?.label ?? null, unmaskedStance: unmasked.suggestion?.stance ?? null } : {}),
      fold: foldOf ? foldOf.get(item.id)! : null,
    };
  });

  const result = score(options, itemResults, [...answers.values()], described, { crossValidate, groupBy, k, seed, documents: documents.length, concurrency, repeats });
  return { result, recording };
}

function score(
  options: EvalOptions,
  items: EvalItemResult[],
  answers: Answer[],
  provider: Provider,
  run: { crossValidate: boolean; groupBy: EvalGrouping; k: number; seed: number; documents: number; concurrency: number; repeats: number },
): EvalResult {
  const codebook: CodebookDefinition = options.codebook.definition;
  const labels = codebook.labels.map((l) => l.id);
  const themeIds = codebook.themes.map((t) => t.id);
  const iterations = options.bootstrapIterations ?? 2000;
  const scored = items.filter((i) => !i.gold.excluded && i.gold.label !== null);
  const goldLabels = scored.map((i) => i.gold.label!);
  const predLabels = scored.map((i) => i.predicted?.label ?? null);

  // Passages of one article are not independent: resample whole Documents when there are enough of them.
  const bootstrapUnit: 'document' | 'item' = run.documents >= BOOTSTRAP_CLUSTER_MIN_DOCUMENTS ? 'document' : 'item';
  const units: EvalItemResult[][] =
    bootstrapUnit === 'document' ? [...groupBy(scored, (i) => i.documentKey).values()] : scored.map((i) => [i]);
  const ci = (statistic: (sample: EvalItemResult[]) => number) =>
    bootstrapInterval(units, (sample) => statistic(sample.flat()), { iterations, seed: run.seed });
  const acc = (s: EvalItemResult[]) => accuracy(s.map((i) => i.gold.label!), s.map((i) => i.predicted?.label ?? null));
  const mf1 = (s: EvalItemResult[]) => macroF1(s.map((i) => i.gold.label!), s.map((i) => i.predicted?.label ?? null), labels);
  const kappa = (s: EvalItemResult[]) => cohenKappa(s.map((i) => i.gold.label!), s.map((i) => i.predicted?.label ?? NO_ANSWER));

  const byLevel = (level: 'passage' | 'document') => {
    const subset = scored.filter((i) => i.level === level);
    return { n: subset.length, accuracy: acc(subset), macroF1: mf1(subset) };
  };

  const themeScores = multilabelScores(scored.map((i) => i.gold.themes), scored.map((i) => i.predicted?.themes ?? null), themeIds);
  const withStance = scored.filter((i) => i.predicted && i.gold.stance !== null);
  const goldStance = withStance.map((i) => i.gold.stance!);
  const predStance = withStance.map((i) => i.predicted!.stance);

  const passagesOnly = items.filter((i) => i.level === 'passage' && i.predicted);
  const modelExclusion = binaryScores(passagesOnly.map((i) => i.gold.excluded), passagesOnly.map((i) => !i.predicted!.substantive));
  const withSegmenter = options.gold.items.filter((g) => g.level === 'passage' && g.segmenterExcluded !== null);
  const segmenterExclusion = withSegmenter.length > 0 ? binaryScores(withSegmenter.map((g) => g.excluded), withSegmenter.map((g) => g.segmenterExcluded!)) : null;
  const pick = (b: ReturnType<typeof binaryScores>) => ({ precision: b.precision, recall: b.recall, f1: b.f1, support: b.support, predicted: b.predicted });

  const answered = answers.filter((a) => a.suggestion);
  const evidenceTotal = answered.reduce((s, a) => s + a.suggestion!.evidence.length, 0);
  const evidenceVerified = answered.reduce((s, a) => s + a.suggestion!.evidence.filter((e) => e.verified).length, 0);
  const failuresByKind: Partial<Record<ProviderErrorKind, number>> = {};
  for (const a of answers) if (a.error) failuresByKind[a.error] = (failuresByKind[a.error] ?? 0) + 1;

  let agreementVsCorrectness: EvalResult['reliability']['agreementVsCorrectness'] = null;
  let labelAlpha: number | null = null;
  if (run.repeats >= 2) {
    labelAlpha = krippendorffAlpha(items.map((i) => i.repeatLabels));
    const groups = { unanimous: [] as boolean[], split: [] as boolean[] };
    for (const i of scored) {
      const given = i.repeatLabels.filter((l): l is string => l !== null);
      if (given.length === 0) continue;
      const counts = new Map<string, number>();
      for (const l of given) counts.set(l, (counts.get(l) ?? 0) + 1);
      const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      (counts.size === 1 && given.length === i.repeatLabels.length ? groups.unanimous : groups.split).push(majority === i.gold.label);
    }
    const summary = (xs: boolean[]) => ({ n: xs.length, accuracy: xs.length === 0 ? Number.NaN : xs.filter(Boolean).length / xs.length });
    agreementVsCorrectness = { unanimous: summary(groups.unanimous), split: summary(groups.split) };
  }
  const stanceAlpha = run.repeats >= 2 ? krippendorffAlpha(items.map((i) => i.repeatStances), 'ordinal') : null;

  const calibrated = scored.filter((i) => i.predicted && i.predicted.confidence !== null);
  const cal = calibration(calibrated.map((i) => i.predicted!.confidence!), calibrated.map((i) => i.predicted!.label === i.gold.label));

  const latencies = answered.map((a) => a.suggestion!.latencyMs).sort((a, b) => a - b);
  const costs = answers.map((a) => a.costUsd);
  const usd = costs.every((c) => c === null) ? null : costs.reduce<number>((s, c) => s + (c ?? 0), 0);

  let outletBias: EvalResult['outletBias'] = null;
  if (options.outletBias) {
    const pairs = scored.filter((i) => i.predicted && i.unmaskedLabel != null);
    const shift = (xs: EvalItemResult[]) => mean(xs.map((i) => (i.unmaskedStance ?? i.predicted!.stance) - i.predicted!.stance));
    const sourceOf = new Map(options.gold.items.map((g) => [g.id, g.sourceName ?? '(unknown source)']));
    outletBias = {
      n: pairs.length,
      labelChangedShare: pairs.length === 0 ? Number.NaN : pairs.filter((i) => i.unmaskedLabel !== i.predicted!.label).length / pairs.length,
      meanStanceShift: shift(pairs),
      maskedAccuracy: accuracy(pairs.map((i) => i.gold.label!), pairs.map((i) => i.predicted!.label)),
      unmaskedAccuracy: accuracy(pairs.map((i) => i.gold.label!), pairs.map((i) => i.unmaskedLabel ?? null)),
      bySource: [...groupBy(pairs, (i) => sourceOf.get(i.id)!).entries()]
        .map(([source, xs]) => ({ source, n: xs.length, labelChanged: xs.filter((i) => i.unmaskedLabel !== i.predicted!.label).length, meanStanceShift: shift(xs) }))
        .sort((a, b) => a.source.localeCompare(b.source)),
    };
  }

  const passagePrompt = promptFor({ level: 'passage', promptVersion: options.promptVersion?.passage });
  const documentPrompt = promptFor({ level: 'document', promptVersion: options.promptVersion?.document });
  const createdAt = (options.now?.() ?? new Date()).toISOString();
  const protocol: EvalProtocol = run.crossValidate
    ? {
        kind: 'cross-validation',
        folds: run.k,
        groupedBy: run.groupBy,
        seed: run.seed,
        note:
          run.groupBy === 'document'
            ? `${run.k}-fold cross-validation, optimistic: grouped by document (the same outlet appears in training and test); each fold's items were scored by a local baseline trained on the codebook's examples and the other folds' gold items only`
            : `${run.k}-fold cross-validation grouped by outlet: each fold's items were scored by a local baseline trained on the codebook's examples and the gold items of the other folds' outlets only`,
      }
    : options.heldOut && options.provider.name === 'local'
      ? { kind: 'held-out', trainingSize: options.heldOut.examples.length, note: options.heldOut.note }
      : { kind: 'none', note: 'the provider was not trained on this gold set; every item was scored once per repeat' };
  const predictions = new Map(scored.filter((i) => i.predicted).map((i) => [i.id, i.predicted!.label]));

  return {
    format: 'framescope-eval-result',
    version: 1,
    name: options.name ?? defaultResultName(provider, createdAt),
    createdAt,
    provenance: {
      provider: provider.name,
      model: provider.model,
      displayName: provider.displayName,
      providerParams: run.crossValidate ? { ...provider.params, trainingHash: 'per fold', trainingSize: 'per fold' } : provider.params,
      prompts: { passage: { version: passagePrompt.id, hash: passagePrompt.hash }, document: { version: documentPrompt.id, hash: documentPrompt.hash } },
      codebook: { name: codebook.name, version: options.codebook.version, hash: options.codebook.hash },
      gold: { origin: options.gold.origin, hash: options.gold.hash, items: items.length, scoredItems: scored.length, excludedItems: items.filter((i) => i.gold.excluded).length },
      sources: {
        databases: options.databases ?? [],
        codebooks: [{ name: codebook.name, version: options.codebook.version, hash: options.codebook.hash, use: 'prompts, label set and gold labels' }],
      },
      protocol,
      parameters: { repeats: run.repeats, outletMasked: true, outletBias: options.outletBias ?? false, seed: run.seed, bootstrapIterations: iterations, bootstrapUnit, concurrency: run.concurrency },
      replayedFrom: null,
    },
    label: {
      n: scored.length,
      accuracy: ci(acc),
      macroF1: ci(mf1),
      kappa: ci(kappa),
      perLabel: perLabelScores(goldLabels, predLabels, labels),
      confusion: confusionMatrix(goldLabels, predLabels, labels),
      byLevel: { passage: byLevel('passage'), document: byLevel('document') },
    },
    themes: { microF1: themeScores.micro.f1, microPrecision: themeScores.micro.precision, microRecall: themeScores.micro.recall, macroF1: themeScores.macroF1, perLabel: themeScores.perLabel },
    stance: { n: withStance.length, mae: meanAbsoluteError(goldStance, predStance), spearman: spearman(goldStance, predStance) },
    exclusion: { model: pick(modelExclusion), segmenter: segmenterExclusion ? pick(segmenterExclusion) : null },
    evidence: { quotes: evidenceTotal, verified: evidenceVerified, verifiedShare: evidenceTotal === 0 ? Number.NaN : evidenceVerified / evidenceTotal },
    reliability: {
      asked: answers.length,
      schemaValid: answered.length,
      schemaValidShare: answers.length === 0 ? Number.NaN : answered.length / answers.length,
      failuresByKind,
      repeats: run.repeats,
      labelAlpha,
      stanceAlpha,
      agreementVsCorrectness,
    },
    calibration: { n: calibrated.length, ece: cal.ece, bins: cal.bins },
    cost: {
      usd,
      tokensIn: answered.reduce((s, a) => s + (a.suggestion!.tokensIn ?? 0), 0),
      tokensOut: answered.reduce((s, a) => s + (a.suggestion!.tokensOut ?? 0), 0),
      latencyMs: { mean: mean(latencies), p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) },
    },
    outletBias,
    humanBaseline: options.humanBaseline?.(predictions) ?? null,
    items,
  };

}

/** `<provider>-<model>-<date>`, safe as a file name. */
export function defaultResultName(provider: Pick<Provider, 'name' | 'model'>, createdAt: string): string {
  return `${provider.name}-${provider.model}-${createdAt.slice(0, 19).replace(/[:T]/g, '-')}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}
