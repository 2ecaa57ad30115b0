import { request } from '../http.ts';

// Response shapes come from the service that produces them, so a renamed field breaks the build.
import type { StoredCodebook } from '../../../../api/codebooks/service.ts';
import type { CodebookDefinition } from '../../../../api/codebooks/definition.ts';
export type { StoredCodebook, CodebookDefinition };

export const listCodebooks = () => request<{ codebooks: StoredCodebook[] }>('/api/codebooks').then((r) => r.codebooks);
export const activateCodebook = (id: number) => request<StoredCodebook>(`/api/codebooks/${id}/activate`, { method: 'POST' });

/** Stores a codebook from a JSON file's text (the server validates it and names the first problem). */
export function addCodebook(text: string, activate: boolean): Promise<StoredCodebook> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return Promise.reject(new Error(`codebook: not valid JSON (${(e as Error).message})`));
  }
  return request<StoredCodebook>(`/api/codebooks?activate=${activate}`, { method: 'POST', json });
}
