import type { EvalResultSummary } from '../../../../api/evals/results.ts';
import type { EvalResult } from '../../../../api/evals/result.ts';
import { request } from '../http.ts';

export type { EvalResult, EvalResultSummary };

/** Typed client for the eval results. Numbers the data leaves undefined arrive as null. */
export const evalsApi = {
  list: () => request<{ results: EvalResultSummary[] }>('/api/evals'),
  get: (name: string) => request<EvalResult>(`/api/evals/${encodeURIComponent(name)}`),
};
