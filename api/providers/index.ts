import type { Config } from '../config.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { badRequest } from '../errors.ts';
import { LOCAL_MODEL, trainLocalBaseline, type TrainingExample } from './local.ts';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai.ts';
import type { ModelPrice } from './prices.ts';
import type { Provider, ProviderName } from './types.ts';

export { trainLocalBaseline, LOCAL_MODEL, type TrainingExample } from './local.ts';
export type { Provider, ProviderName } from './types.ts';

/** The model used when neither `--model` nor FRAMESCOPE_MODEL says. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

export interface CreateProviderOptions {
  /** Defaults to config.defaultProvider (openai when OPENAI_API_KEY or OPENAI_BASE_URL is set). */
  name?: ProviderName;
  model?: string;
  /** For the local baseline: the codebook it classifies with (required for `local`). */
  codebook?: CodebookDefinition;
  /** For the local baseline: human-reviewed examples to learn from besides the codebook's own. */
  trainingExamples?: TrainingExample[];
  temperature?: number;
  maxTokens?: number;
  responseFormat?: OpenAIProviderOptions['responseFormat'];
  /** ms per request */
  timeoutMs?: number;
  prices?: Record<string, ModelPrice>;
}

/**
 * The provider a command or route asks: the OpenAI-compatible one (configured from
 * OPENAI_API_KEY, OPENAI_BASE_URL, FRAMESCOPE_MODEL) or the embedded local baseline.
 */
export function createProvider(config: Config, options: CreateProviderOptions = {}): Provider {
  const name = options.name ?? config.defaultProvider;
  if (name === 'local') {
    if (!options.codebook) throw badRequest('the local baseline needs the codebook it classifies with', 'codebook_required');
    if (options.model && options.model !== LOCAL_MODEL) throw badRequest(`the local provider has one model, ${LOCAL_MODEL}, not ${options.model}`, 'unknown_model');
    return trainLocalBaseline(options.codebook, options.trainingExamples ?? []);
  }
  if (!config.openai.apiKey && !config.openai.baseURL) {
    throw badRequest('the openai provider needs OPENAI_API_KEY or OPENAI_BASE_URL', 'provider_not_configured');
  }
  return createOpenAIProvider({
    apiKey: config.openai.apiKey,
    baseURL: config.openai.baseURL,
    model: options.model ?? config.openai.model ?? DEFAULT_OPENAI_MODEL,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    responseFormat: options.responseFormat,
    timeoutMs: options.timeoutMs,
    prices: options.prices,
  });
}
