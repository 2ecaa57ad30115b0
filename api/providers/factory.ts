import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { storedLocalProvider } from '../training/provider.ts';
import type { CodebookRef } from '../tagging/suggest.ts';
import { createProvider, type CreateProviderOptions } from './index.ts';
import type { Provider, ProviderName } from './types.ts';

/** What a run (or an eval) asks a provider to be. */
export interface ProviderRequest extends Omit<CreateProviderOptions, 'name' | 'codebook' | 'trainingExamples'> {
  name: ProviderName;
  codebook: CodebookRef & { id: number };
}

/**
 * Makes the provider a run asks. Injected (AppDeps.providers, JobDeps.providers) so tests can
 * pass a fake provider; job worker threads use the default.
 */
export type ProviderFactory = (request: ProviderRequest, context: { db: Db; config: Config }) => Provider;

/** The OpenAI-compatible provider from the config, or the stored local baseline. */
export const defaultProviders: ProviderFactory = (request, { db, config }) => {
  if (request.name === 'local') return storedLocalProvider(db, request.codebook, request.model);
  const { codebook: _codebook, ...options } = request;
  return createProvider(config, options);
};
