import type { Db } from '../../db/client.ts';
import { LOCAL_MODEL, localProviderFromModel } from '../providers/local.ts';
import type { Provider } from '../providers/types.ts';
import type { CodebookRef } from '../tagging/suggest.ts';
import { currentLocalModel, loadLocalModel, localModelInfo } from './store.ts';

/**
 * The local baseline as a provider, named by its stored version: the current one for the
 * codebook, or the version asked for (`local-baseline-v2` means the current one). Its weights
 * are loaded on the first request it answers, so estimating or recording a run never loads
 * or trains anything.
 */
export function storedLocalProvider(db: Db, cb: CodebookRef & { id: number }, version?: string): Provider {
  const info = version && version !== LOCAL_MODEL ? localModelInfo(db, cb, version) : currentLocalModel(db, cb);
  let inner: Provider | null = null;
  const loaded = () => (inner ??= localProviderFromModel(loadLocalModel(db, cb, info.version), info.version));
  return {
    name: 'local',
    model: info.version,
    displayName: `local baseline (${info.version})`,
    params: { trainingHash: info.trainingHash.slice(0, 16), trainingSize: info.trainingSize },
    price: { inputPerMTok: 0, outputPerMTok: 0 },
    classify: (request, options) => loaded().classify(request, options),
  };
}
