import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { TaggingRun } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { getActiveCodebook, getCodebook } from '../codebooks/service.ts';
import type { Config } from '../config.ts';
import { badRequest, zodIssueText } from '../errors.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';
import type { ProviderFactory } from '../providers/factory.ts';
import type { ModelPrice } from '../providers/prices.ts';
import type { Provider } from '../providers/types.ts';
import { DEFAULT_PROMPT_VERSIONS, getPromptTemplate, type Level, type PromptTemplate } from './prompts.ts';
import type { CodebookRef } from './suggest.ts';

/** What a tagging run is asked to do: the same shape from the CLI and from HTTP. */
export const RunRequestSchema = z.object({
  provider: z.enum(['openai', 'local']).optional(),
  /** A provider profile (Settings page): its server, key, model, prices and concurrency, read when the run starts. */
  profileId: z.number().int().positive().optional(),
  /** For the local provider: a stored model version, or `local-baseline-v2` for the current one. */
  model: z.string().min(1).optional(),
  /** Defaults to the active codebook. */
  codebookId: z.number().int().positive().optional(),
  promptVersions: z.object({ passage: z.string().optional(), document: z.string().optional() }).optional(),
  levels: z.array(z.enum(['passage', 'document'])).min(1).default(['passage', 'document']),
  /** Empty: everything. Sources, documents and a comparison's sample narrow; untaggedOnly skips items with any suggestion; sample keeps N at random (N at least the selection: all of it). */
  selection: z
    .object({
      sourceIds: z.array(z.number().int().positive()).max(MAX_IDS_PER_LIST, tooManyIds()).optional(),
      documentIds: z.array(z.number().int().positive()).max(MAX_IDS_PER_LIST, tooManyIds()).optional(),
      untaggedOnly: z.boolean().optional(),
      sample: z.number().int().positive().optional(),
      /** Exactly the stored sample of this model comparison (api/tagging/comparisons.ts). */
      comparisonId: z.number().int().positive().optional(),
    })
    .default({}),
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Self-consistency: ask each item this many times and store every answer. */
  repeats: z.number().int().min(1).max(10).default(1),
  /** USD; the run stops (budget_exceeded) before spending more. */
  budgetUsd: z.number().positive().optional(),
  maskOutlet: z.boolean().default(false),
  temperature: z.number().min(0).max(2).optional(),
  /** Attempts per request for 429, 5xx, timeouts and dropped connections. */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** ms per request */
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  /** ms; first retry delay, doubled each attempt, with jitter. */
  backoffBaseMs: z.number().int().min(0).max(60_000).default(500),
  responseFormat: z.enum(['auto', 'json_schema', 'json_object']).default('auto'),
  /** Price overrides, USD per 1M tokens by model. */
  prices: z
    .record(
      z.string(),
      z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0), batchInputPerMTok: z.number().min(0).optional(), batchOutputPerMTok: z.number().min(0).optional() }),
    )
    .optional(),
  /** Through the provider's Batch API (OpenAI-compatible providers with one): cheaper, answered within 24 h instead of at once. */
  batch: z.boolean().default(false),
});
export type RunRequest = z.input<typeof RunRequestSchema>;
export type RunOptions = z.output<typeof RunRequestSchema>;

/** What the tagging services need: the database, the provider configuration and factory, and a clock. */
export interface TaggingDeps {
  db: Db;
  config: Config;
  now: () => Date;
  providers: ProviderFactory;
}

/** A run's request resolved once: options, codebook, provider and prompt templates. */
export interface RunPlan {
  options: RunOptions;
  codebookId: number;
  codebook: CodebookRef & { id: number };
  provider: Provider;
  prompts: Partial<Record<Level, PromptTemplate>>;
}

/** Validates a run request, naming the first offending field. */
export function parseRunRequest(request: unknown): RunOptions {
  const parsed = RunRequestSchema.safeParse(request);
  if (!parsed.success) throw badRequest(zodIssueText(parsed.error, { root: 'request' }), 'invalid_run_request');
  return parsed.data;
}

function codebookRef(row: { id: number; definition: CodebookDefinition; version: string; hash: string }): CodebookRef & { id: number } {
  return { id: row.id, definition: row.definition, version: row.version, hash: row.hash };
}

function plan(deps: TaggingDeps, options: RunOptions, codebook: CodebookRef & { id: number }, providerName: 'openai' | 'local', model: string | undefined): RunPlan {
  const provider = deps.providers(
    {
      name: providerName,
      model,
      codebook,
      profileId: options.profileId,
      temperature: options.temperature,
      responseFormat: options.responseFormat,
      timeoutMs: options.timeoutMs,
      prices: options.prices as Record<string, ModelPrice> | undefined,
    },
    deps,
  );
  const prompts = Object.fromEntries(options.levels.map((l) => [l, getPromptTemplate(options.promptVersions?.[l] ?? DEFAULT_PROMPT_VERSIONS[l], l)]));
  return { options, codebookId: codebook.id, codebook, provider, prompts };
}

/** Resolves a new run's request: codebook (default: the active one), provider, prompts. */
export function resolvePlan(deps: TaggingDeps, request: RunRequest): RunPlan {
  const options = parseRunRequest(request);
  const row = options.codebookId ? getCodebook(deps.db, options.codebookId) : getActiveCodebook(deps.db);
  if (options.profileId !== undefined && options.provider === 'local') throw badRequest('a provider profile is an OpenAI-compatible server: leave provider out or set it to openai', 'invalid_run_request');
  return plan(deps, options, codebookRef(row), options.profileId !== undefined ? 'openai' : (options.provider ?? deps.config.defaultProvider), options.model);
}

/** The plan of a recorded run: its own options, codebook, provider and model (a local run keeps its model version). */
export function planOfRun(deps: TaggingDeps, run: TaggingRun): RunPlan {
  const options = RunRequestSchema.parse(run.options);
  return plan(deps, options, codebookRef(getCodebook(deps.db, run.codebookId)), run.provider as 'openai' | 'local', run.model);
}

/** The prompt version an item of `level` is asked with. */
export function promptVersionFor(options: RunOptions, level: Level): string {
  return options.promptVersions?.[level] ?? DEFAULT_PROMPT_VERSIONS[level];
}
