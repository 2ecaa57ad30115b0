import type { CodebookDefinition } from '../../../../api/codebooks/definition.ts';
import { api, call, type Ok } from './client.ts';

/** A stored codebook version, as `GET /api/codebooks` answers it. */
export type StoredCodebook = Ok<typeof api.codebooks.$get>['codebooks'][number];

export const listCodebooks = () => call(api.codebooks.$get()).then((r) => r.codebooks);
export const activateCodebook = (id: number) => call(api.codebooks[':id'].activate.$post({ param: { id: String(id) } }));

/** Stores a codebook from a JSON file's text (the server validates it and names the first problem). */
export function addCodebook(text: string, activate: boolean): Promise<StoredCodebook> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return Promise.reject(new Error(`codebook: not valid JSON (${(e as Error).message})`));
  }
  // The server checks the shape and names the first problem; the type only says what is sent.
  return call(api.codebooks.$post({ query: { activate: activate ? 'true' : 'false' }, json: json as CodebookDefinition }));
}
