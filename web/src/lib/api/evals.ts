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
