import { z } from 'zod';
import { JsonValueSchema } from '../json.ts';
import { PROVIDER_ERROR_KINDS } from '../providers/types.ts';

/**
 * An eval result, as the runner builds it and as its file stores it. A statistic undefined for
 * its data is NaN while computing and null in the file (JSON has no NaN), so every such
 * statistic is `number | null` here; counts are always numbers.
 */

/** A statistic that can be undefined for the data (no items, no variation). */
const stat = z.number().nullable();

/** A point estimate with its two-sided interval at `level`; null where undefined for the data. */
export const IntervalSchema = z.object({ estimate: stat, low: stat, high: stat, level: z.number() }).meta({ id: 'Interval' });
export type StatInterval = z.infer<typeof IntervalSchema>;

const LabelScoresSchema = z.object({ label: z.string(), precision: stat, recall: stat, f1: stat, support: z.number().int(), predicted: z.number().int() });

const BinaryScoresSchema = z.object({ precision: stat, recall: stat, f1: stat, support: z.number().int(), predicted: z.number().int() });

const ProviderErrorKindSchema = z.enum(PROVIDER_ERROR_KINDS);

/** How the provider is kept from being scored on what it learned from. */
export const EvalProtocolSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none'), note: z.string() }),
  /** groupedBy source: each outlet's items in one fold; document: optimistic (an outlet in training and test). */
  z.object({ kind: z.literal('cross-validation'), folds: z.number().int(), groupedBy: z.enum(['source', 'document']), seed: z.number().int(), note: z.string() }),
  /** Trained once on other data (e.g. this database's decisions outside an evaluation-only import), scored once on the gold set. */
  z.object({ kind: z.literal('held-out'), trainingSize: z.number().int(), note: z.string() }),
]);
export type EvalProtocol = z.infer<typeof EvalProtocolSchema>;

/** Human-human agreement next to model-human agreement on the same items. */
export const HumanBaselineSchema = z.object({
  items: z.number().int(),
  humanHuman: z.object({ percentAgreement: stat, alpha: stat }),
  modelHuman: z.object({ percentAgreement: stat }),
});
export type HumanBaseline = z.infer<typeof HumanBaselineSchema>;

/** The per-item record kept in the result, so every number can be traced to the items behind it. */
export const EvalItemResultSchema = z.object({
  id: z.string(),
  level: z.enum(['passage', 'document']),
  documentKey: z.string(),
  gold: z.object({ excluded: z.boolean(), label: z.string().nullable(), stance: z.number().int().nullable(), themes: z.array(z.string()) }),
  /** First answer (sample 0), null when the provider gave no usable answer. */
  predicted: z
    .object({
      label: z.string(),
      stance: z.number().int(),
      themes: z.array(z.string()),
      confidence: z.number().nullable(),
      substantive: z.boolean(),
      evidenceVerified: z.number().int(),
      evidenceTotal: z.number().int(),
    })
    .nullable(),
  error: ProviderErrorKindSchema.nullable(),
  /** Labels and stances of every repeat, null for failed ones. */
  repeatLabels: z.array(z.string().nullable()),
  repeatStances: z.array(z.number().int().nullable()),
  /** Label when the outlet was named (with --outlet-bias). */
  unmaskedLabel: z.string().nullable().optional(),
  unmaskedStance: z.number().int().nullable().optional(),
  fold: z.number().int().nullable(),
});
export type EvalItemResult = z.infer<typeof EvalItemResultSchema>;

const PromptRef = z.object({ version: z.string(), hash: z.string() });
const LevelScores = z.object({ n: z.number().int(), accuracy: stat, macroF1: stat });

/** Everything one eval run measured, with the provenance to reproduce it. */
export const EvalResultSchema = z
  .object({
    format: z.literal('framescope-eval-result'),
    version: z.literal(1),
    name: z.string(),
    createdAt: z.string(),
    provenance: z.object({
      provider: z.enum(['openai', 'local']),
      model: z.string(),
      displayName: z.string(),
      providerParams: z.record(z.string(), JsonValueSchema),
      prompts: z.object({ passage: PromptRef, document: PromptRef }),
      codebook: z.object({ name: z.string(), version: z.string(), hash: z.string() }),
      gold: z.object({ origin: z.string(), hash: z.string(), items: z.number().int(), scoredItems: z.number().int(), excludedItems: z.number().int() }),
      /**
       * Every database and codebook the result came from: the database its gold labels, held-out
       * training set or human baseline were read from (by file name, path and latest migration),
       * and the codebook the prompts and gold labels use. Empty lists in results written before.
       */
      sources: z
        .object({
          databases: z.array(z.object({ name: z.string(), path: z.string(), migration: z.string().nullable(), use: z.string() })),
          codebooks: z.array(z.object({ name: z.string(), version: z.string(), hash: z.string(), use: z.string() })),
        })
        .default({ databases: [], codebooks: [] }),
      protocol: EvalProtocolSchema,
      parameters: z.object({
        repeats: z.number().int(),
        outletMasked: z.literal(true),
        outletBias: z.boolean(),
        seed: z.number().int(),
        bootstrapIterations: z.number().int(),
        bootstrapUnit: z.enum(['document', 'item']),
        concurrency: z.number().int(),
      }),
      replayedFrom: z.string().nullable(),
    }),
    label: z.object({
      n: z.number().int(),
      accuracy: IntervalSchema,
      macroF1: IntervalSchema,
      kappa: IntervalSchema,
      perLabel: z.array(LabelScoresSchema),
      /** matrix[g][p]: items whose gold label is labels[g] and prediction labels[p]; unanswered[g]: no usable prediction. */
      confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())), unanswered: z.array(z.number().int()) }),
      byLevel: z.object({ passage: LevelScores, document: LevelScores }),
    }),
    themes: z.object({ microF1: stat, microPrecision: stat, microRecall: stat, macroF1: stat, perLabel: z.array(LabelScoresSchema) }),
    stance: z.object({ n: z.number().int(), mae: stat, spearman: stat }),
    exclusion: z.object({ model: BinaryScoresSchema, segmenter: BinaryScoresSchema.nullable() }),
    evidence: z.object({ quotes: z.number().int(), verified: z.number().int(), verifiedShare: stat }),
    reliability: z.object({
      asked: z.number().int(),
      schemaValid: z.number().int(),
      schemaValidShare: stat,
      failuresByKind: z.partialRecord(ProviderErrorKindSchema, z.number().int()),
      repeats: z.number().int(),
      labelAlpha: stat,
      stanceAlpha: stat,
      /** Accuracy of the majority label on items whose repeats were unanimous versus split. */
      agreementVsCorrectness: z
        .object({ unanimous: z.object({ n: z.number().int(), accuracy: stat }), split: z.object({ n: z.number().int(), accuracy: stat }) })
        .nullable(),
    }),
    calibration: z.object({
      n: z.number().int(),
      ece: stat,
      /** Bins on confidence, [low, high) except the last, which includes 1. */
      bins: z.array(z.object({ low: z.number(), high: z.number(), count: z.number().int(), meanConfidence: stat, accuracy: stat })),
    }),
    cost: z.object({ usd: z.number().nullable(), tokensIn: z.number().int(), tokensOut: z.number().int(), latencyMs: z.object({ mean: stat, p50: stat, p95: stat }) }),
    outletBias: z
      .object({
        n: z.number().int(),
        labelChangedShare: stat,
        meanStanceShift: stat,
        maskedAccuracy: stat,
        unmaskedAccuracy: stat,
        bySource: z.array(z.object({ source: z.string(), n: z.number().int(), labelChanged: z.number().int(), meanStanceShift: stat })),
      })
      .nullable(),
    humanBaseline: HumanBaselineSchema.nullable(),
    items: z.array(EvalItemResultSchema),
  })
  .meta({ id: 'EvalResult' });
export type EvalResult = z.infer<typeof EvalResultSchema>;
