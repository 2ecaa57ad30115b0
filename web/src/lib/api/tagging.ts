import { request } from '../http.ts';
export { providerLabel } from '../../../../api/providers/label.ts';

// Response shapes come from the services that produce them, so a renamed field breaks the build.
import type { RunEstimate, RunProgress } from '../../../../api/tagging/schemas.ts';
export type { RunEstimate, RunProgress };

/** What a tagging run is asked to do (same fields as the CLI's options). */
export interface RunRequest {
  provider?: 'openai' | 'local';
  model?: string;
  levels: ('passage' | 'document')[];
  selection: { sourceIds?: number[]; documentIds?: number[]; untaggedOnly?: boolean; sample?: number };
  concurrency?: number;
  repeats?: number;
  budgetUsd?: number;
  maskOutlet?: boolean;
}


export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'budget_exceeded';

export interface TaggingRun {
  id: number;
  status: RunStatus;
  provider: string;
  model: string;
  itemsTotal: number;
  itemsDone: number;
  itemsFailed: number;
  itemsCached: number;
  costUsd: number;
  estimatedCostUsd: number | null;
  budgetUsd: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  live: boolean;
}


export interface RunFailure {
  itemId: number;
  errorKind: string | null;
  error: string | null;
  attempts: number;
}


export const getHealth = () => request<{ ok: boolean; provider: 'openai' | 'local' }>('/api/health');
export const estimateRun = (r: RunRequest) => request<RunEstimate>('/api/tagging/estimate', { method: 'POST', json: r });
export const startRun = (r: RunRequest) => request<TaggingRun>('/api/tagging/runs', { method: 'POST', json: r });
export const listRuns = () => request<{ runs: TaggingRun[] }>('/api/tagging/runs').then((r) => r.runs);
export const getRun = (id: number) => request<{ run: TaggingRun; failures: RunFailure[] }>(`/api/tagging/runs/${id}`);
export const cancelRun = (id: number) => request<TaggingRun>(`/api/tagging/runs/${id}/cancel`, { method: 'POST' });
export const resumeRun = (id: number, budgetUsd?: number) =>
  request<TaggingRun>(`/api/tagging/runs/${id}/resume`, { method: 'POST', json: budgetUsd === undefined ? {} : { budgetUsd } });

/** Follows a run's live progress (server-sent events); returns a function that stops listening. */
export function followRun(id: number, onProgress: (p: RunProgress) => void, onEnd: (p: RunProgress) => void): () => void {
  const source = new EventSource(`/api/tagging/runs/${id}/events`);
  source.addEventListener('progress', (e) => onProgress(JSON.parse((e as MessageEvent<string>).data) as RunProgress));
  source.addEventListener('end', (e) => {
    onEnd(JSON.parse((e as MessageEvent<string>).data) as RunProgress);
    source.close();
  });
  return () => source.close();
}
