import type { RunProgress } from '../../../../api/tagging/schemas.ts';
import { api, call, type Input, type Ok } from './client.ts';

export { providerLabel } from '../../../../api/providers/label.ts';

const run = api.tagging.runs[':id'];

/** What a tagging run is asked to do (same fields as the CLI's options). */
export type RunRequest = Input<typeof api.tagging.runs.$post>['json'];
export type RunEstimate = Ok<typeof api.tagging.estimate.$post>;
export type TaggingRun = Ok<typeof api.tagging.runs.$post>;
export type RunStatus = TaggingRun['status'];
export type RunFailure = Ok<typeof run.$get>['failures'][number];
/** One submission of a batch run to the provider's Batch API. */
export type RunBatch = Ok<typeof run.$get>['batches'][number];
/** Live progress, as the run's event stream sends it (the API's TaggingRunProgress schema). */
export type { RunProgress };

const id = (n: number) => ({ id: String(n) });

export const getHealth = () => call(api.health.$get());
export const estimateRun = (r: RunRequest) => call(api.tagging.estimate.$post({ json: r }));
export const startRun = (r: RunRequest) => call(api.tagging.runs.$post({ json: r }));
export const listRuns = () => call(api.tagging.runs.$get()).then((r) => r.runs);
export const getRun = (runId: number) => call(run.$get({ param: id(runId) }));
export const cancelRun = (runId: number) => call(run.cancel.$post({ param: id(runId) }));
export const resumeRun = (runId: number, budgetUsd?: number) => call(run.resume.$post({ param: id(runId), json: budgetUsd === undefined ? {} : { budgetUsd } }));

/** Follows a run's live progress (server-sent events); returns a function that stops listening. */
export function followRun(runId: number, onProgress: (p: RunProgress) => void, onEnd: (p: RunProgress) => void): () => void {
  const source = new EventSource(run.events.$path({ param: id(runId) }));
  // Each event's data is one TaggingRunProgress, serialised by the server from that schema.
  const progress = (e: MessageEvent<string>): RunProgress => JSON.parse(e.data);
  source.addEventListener('progress', (e) => onProgress(progress(e)));
  source.addEventListener('end', (e) => {
    onEnd(progress(e));
    source.close();
  });
  return () => source.close();
}
export type ModelQualityList = Ok<typeof api.tagging.quality.$get>;
export type ModelQuality = ModelQualityList['models'][number];
/** Each model family's measured quality on this database's independent human decisions. */
export const modelQuality = () => call(api.tagging.quality.$get());

/** A comparison of two or more models on one seeded sample (same fields as POST /api/tagging/comparisons). */
export type ComparisonRequest = Input<typeof api.tagging.comparisons.$post>['json'];
export type ModelComparison = Ok<typeof api.tagging.comparisons.$post>;
export const startComparison = (r: ComparisonRequest) => call(api.tagging.comparisons.$post({ json: r }));
export const listComparisons = () => call(api.tagging.comparisons.$get()).then((r) => r.comparisons);
/** Prompt template versions on disk, for picking an arm's prompt. */
export const listPrompts = () => call(api.prompts.$get()).then((r) => r.prompts);
