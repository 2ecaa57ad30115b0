import { z } from 'zod';
import { taggingBatches, taggingRuns, type Job, type Suggestion, type TaggingRun } from '../../db/schema/index.ts';
import { JsonValueSchema } from '../json.ts';
import { providerLabel } from '../providers/label.ts';
import { EvidenceQuoteSchema } from '../review/item.ts';
import { RunRequestSchema } from './runs.ts';

/** The estimate shown before a run starts. */
export const RunEstimateSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    displayName: z.string(),
    items: z.number().int(),
    passages: z.number().int(),
    documents: z.number().int(),
    /** Items whose every requested answer is already stored by this provider, model, prompt and codebook (not asked again). */
    cached: z.number().int(),
    requests: z.number().int(),
    estimatedTokensIn: z.number().int(),
    estimatedTokensOut: z.number().int(),
    /** USD; null when the model's price is unknown. */
    estimatedCostUsd: z.number().nullable(),
  })
  .meta({ id: 'TaggingEstimate' });
export type RunEstimate = z.infer<typeof RunEstimateSchema>;

const RunStatusSchema = z.enum(taggingRuns.status.enumValues);

/** Live progress of a run, as the progress bar and the SSE stream show it. */
export const RunProgressSchema = z
  .object({
    runId: z.number().int(),
    /** The job executing the run (null for a run recorded before runs were jobs). */
    jobId: z.number().int().nullable(),
    status: RunStatusSchema,
    /** What the run's job is doing: `queued`, `selecting` (writing its item list) or `tagging`; the status once it has stopped. */
    phase: z.string(),
    provider: z.string(),
    model: z.string(),
    itemsTotal: z.number().int(),
    itemsDone: z.number().int(),
    itemsFailed: z.number().int(),
    itemsCached: z.number().int(),
    costUsd: z.number(),
    /** items per second since the process working on it started */
    ratePerSec: z.number(),
    /** s; null until a rate is known */
    etaSec: z.number().nullable(),
    error: z.string().nullable(),
    /** One line from the run's job, e.g. where a batch run's batches are; null when it has none. */
    message: z.string().nullable(),
    /** The rate limit the run works against (last known), or null before its first request. */
    rateLimit: z
      .object({
        concurrency: z.number().int(),
        maxConcurrency: z.number().int(),
        limitRequests: z.number().nullable(),
        limitTokens: z.number().nullable(),
        remainingRequests: z.number().nullable(),
        remainingTokens: z.number().nullable(),
        resetInMs: z.number().nullable(),
        rateLimited: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: 'TaggingRunProgress' });
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** A run's stored options: the request as run (defaults filled in) and the provider's parameters. */
const RunOptionsSchema = RunRequestSchema.extend({ providerParams: z.record(z.string(), JsonValueSchema) });

/** A tagging run; `live` says whether a process is working on it now (its job is running). */
export const TaggingRunSchema = z
  .object({
    id: z.number().int(),
    status: RunStatusSchema,
    provider: z.string(),
    model: z.string(),
    codebookId: z.number().int(),
    /** Prompt version per level, e.g. `{ "passage": "passage-v1" }`. */
    promptVersions: z.object({ passage: z.string().optional(), document: z.string().optional() }),
    selection: RunRequestSchema.shape.selection,
    options: RunOptionsSchema,
    itemsTotal: z.number().int(),
    /** When the run's item list was complete (written by its job); null before. */
    itemsSelectedAt: z.string().nullable(),
    itemsDone: z.number().int(),
    itemsFailed: z.number().int(),
    itemsCached: z.number().int(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
    estimatedCostUsd: z.number().nullable(),
    budgetUsd: z.number().nullable(),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    heartbeatAt: z.string().nullable(),
    /** The model comparison this run is an arm of; null for other runs. */
    comparisonId: z.number().int().nullable(),
    /** The job executing the run (see /api/jobs); null for a run recorded before runs were jobs. */
    jobId: z.number().int().nullable(),
    live: z.boolean(),
  })
  .meta({ id: 'TaggingRun' });
export type TaggingRunView = z.infer<typeof TaggingRunSchema>;

/** Every listed run. */
export const TaggingRunListSchema = z.object({ runs: z.array(TaggingRunSchema) }).meta({ id: 'TaggingRunList' });

/** An item the run could not tag, and why. */
export const RunFailureSchema = z
  .object({ itemId: z.number().int(), errorKind: z.string().nullable(), error: z.string().nullable(), attempts: z.number().int() })
  .meta({ id: 'TaggingRunFailure' });

/** One submission of a batch run to the provider's Batch API (db/schema/taggingRuns.ts taggingBatches). */
export const TaggingBatchSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(taggingBatches.status.enumValues),
    /** 1 for a first submission, 2 and up for items submitted again. */
    round: z.number().int(),
    requests: z.number().int(),
    /** bytes of the uploaded file */
    bytes: z.number().int(),
    providerBatchId: z.string().nullable(),
    providerStatus: z.string().nullable(),
    requestsCompleted: z.number().int(),
    requestsFailed: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.string(),
    submittedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'TaggingBatch' });

/** One run with its failures and, for a batch run, its batches. */
export const TaggingRunDetailSchema = z
  .object({ run: TaggingRunSchema, failures: z.array(RunFailureSchema), batches: z.array(TaggingBatchSchema) })
  .meta({ id: 'TaggingRunDetail' });

const RunJsonColumns = TaggingRunSchema.pick({ promptVersions: true, selection: true, options: true });

/** A run row as the API shows it: its JSON columns (written by createRun) parsed to their types, with its job. */
export function runView(run: TaggingRun, job: Job | null): TaggingRunView {
  return { ...run, ...RunJsonColumns.parse({ promptVersions: run.promptVersions, selection: run.selection, options: run.options }), jobId: job?.id ?? null, live: job?.state === 'running' };
}

/** One suggestion with its full provenance. */
export const SuggestionSchema = z
  .object({
    id: z.number().int(),
    itemId: z.number().int(),
    runId: z.number().int().nullable(),
    codebookId: z.number().int(),
    label: z.string(),
    stance: z.number().int(),
    themes: z.array(z.string()),
    confidence: z.number().nullable(),
    rationale: z.string().nullable(),
    evidence: z.array(EvidenceQuoteSchema),
    substantive: z.boolean(),
    provider: z.string(),
    /** How the UI names the provider (providers/label.ts): "local baseline" is never an LLM. */
    providerLabel: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    promptHash: z.string(),
    codebookVersion: z.string(),
    codebookHash: z.string(),
    /** Parameters that changed the answer (temperature, response format, outlet masking ...). */
    params: z.record(z.string(), JsonValueSchema),
    outletMasked: z.boolean(),
    sampleIndex: z.number().int(),
    tokensIn: z.number().int().nullable(),
    tokensOut: z.number().int().nullable(),
    costUsd: z.number().nullable(),
    latencyMs: z.number().int().nullable(),
    requestId: z.string().nullable(),
    rawResponse: z.string().nullable(),
    cacheKey: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Suggestion' });
export type SuggestionWithProvenance = z.infer<typeof SuggestionSchema>;

/** An item's suggestions, newest first. */
export const SuggestionListSchema = z.object({ suggestions: z.array(SuggestionSchema) }).meta({ id: 'SuggestionList' });

const SuggestionParams = SuggestionSchema.shape.params;

/** A stored suggestion as the API shows it: its provider label, and its parameters parsed from their JSON column. */
export function suggestionView(s: Suggestion): SuggestionWithProvenance {
  return { ...s, providerLabel: providerLabel(s.provider, s.model), params: SuggestionParams.parse(s.params) };
}

/** A model comparison with its sample size and its arms' runs (in arm order). */
export const ModelComparisonSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    codebookId: z.number().int(),
    levels: z.array(z.enum(['passage', 'document'])),
    sampleSize: z.number().int(),
    seed: z.number().int(),
    selection: z.object({ sourceIds: z.array(z.number().int()).optional() }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    /** Items in the stored sample. */
    items: z.number().int(),
    runs: z.array(TaggingRunSchema),
  })
  .meta({ id: 'ModelComparison' });

/** Comparisons, newest first. */
export const ModelComparisonListSchema = z.object({ comparisons: z.array(ModelComparisonSchema) }).meta({ id: 'ModelComparisonList' });
