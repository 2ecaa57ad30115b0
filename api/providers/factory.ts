import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { storedLocalProvider } from '../training/provider.ts';
import type { CodebookRef } from '../tagging/suggest.ts';
import { createProvider, type CreateProviderOptions } from './index.ts';
import { createOpenAIProvider } from './openai.ts';
import { getProfile, profileProviderOptions } from './profiles/service.ts';
import type { Provider, ProviderName } from './types.ts';

/** What a run (or an eval) asks a provider to be. */
export interface ProviderRequest extends Omit<CreateProviderOptions, 'name' | 'codebook' | 'trainingExamples'> {
  name: ProviderName;
  codebook: CodebookRef & { id: number };
  /** A stored provider profile (Settings page) instead of the environment's provider. */
  profileId?: number;
}

/**
 * Makes the provider a run asks. Injected (AppDeps.providers, JobDeps.providers) so tests can
 * pass a fake provider; job worker threads use the default.
 */
export type ProviderFactory = (request: ProviderRequest, context: { db: Db; config: Config }) => Provider;

/** A profile's provider (read from the database and key file now), the environment's OpenAI-compatible one, or the stored local baseline. */
export const defaultProviders: ProviderFactory = (request, { db, config }) => {
  if (request.profileId !== undefined) {
    const profile = getProfile(db, request.profileId);
    const base = profileProviderOptions(db, profile, request.model);
    return createOpenAIProvider({ ...base, prices: { ...request.prices, ...base.prices }, temperature: request.temperature, maxTokens: request.maxTokens, responseFormat: request.responseFormat === 'auto' || request.responseFormat === undefined ? (base.responseFormat ?? request.responseFormat) : request.responseFormat, timeoutMs: request.timeoutMs });
  }
  if (request.name === 'local') return storedLocalProvider(db, request.codebook, request.model);
  const { codebook: _codebook, profileId: _profileId, ...options } = request;
  return createProvider(config, options);
};
