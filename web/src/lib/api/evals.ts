import { api, call, type Ok } from './client.ts';

export type EvalResultSummary = Ok<typeof api.evals.$get>['results'][number];
/** One eval result in full; numbers the data leaves undefined arrive as null. */
export type EvalResult = Ok<typeof api.evals[':name']['$get']>;
/** A statistic with its interval. */
export type StatInterval = EvalResult['label']['accuracy'];

export const evalsApi = {
  list: () => call(api.evals.$get()),
  get: (name: string) => call(api.evals[':name'].$get({ param: { name } })),
};

/** A model comparison's report: agreement with people and between arms, cost, latency, disagreements. */
export type ComparisonReport = Ok<typeof api.evals.comparisons[':id']['$get']>;
export const comparisonReport = (id: number) => call(api.evals.comparisons[':id'].$get({ param: { id: String(id) } }));
