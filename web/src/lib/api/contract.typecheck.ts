/**
 * Checked by `npm test`'s type-check, never bundled: the web client's types are the API's. Each
 * line reads a field through the hc client's inferred types, so renaming or retyping a field in a
 * route's response schema fails here (and at every component that reads it) before any page runs;
 * each `@ts-expect-error` shows a type is exact, not hollow: a field no schema declares is refused.
 */
import type { DocumentView, Source } from './corpus.ts';
import type { DrillDownItem, FramingRow, TimelineSeries } from './dashboard.ts';
import type { EvalResult } from './evals.ts';
import type { ApiError } from './client.ts';
import type { ItemView, QueueEntry, QueueFilter } from './review.ts';
import type { JobView } from './jobs.ts';
import type { RunProgress, TaggingRun } from './tagging.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type Checks = [
  Expect<Equal<Source['documentCount'], number>>,
  Expect<Equal<Source['country'], string | null>>,
  Expect<Equal<DocumentView['passages'][number]['excludedBy'], 'auto' | 'reviewer' | null>>,
  Expect<Equal<QueueEntry['reviewStatus'], 'unreviewed' | 'reviewed' | 'rejected' | 'disputed' | 'adjudicated' | null>>,
  Expect<Equal<ItemView['item']['reviewedThemes'], string[]>>,
  Expect<Equal<ItemView['suggestions'][number]['evidence'][number]['start'], number | null>>,
  Expect<Equal<TaggingRun['live'], boolean>>,
  Expect<Equal<TaggingRun['jobId'], number | null>>,
  Expect<Equal<JobView['state'], 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted'>>,
  Expect<Equal<RunProgress['etaSec'], number | null>>,
  Expect<Equal<FramingRow['shares'], Record<string, number>>>,
  Expect<Equal<TimelineSeries['series'][number]['meanStance'], (number | null)[]>>,
  Expect<Equal<TimelineSeries['periods'], string[]>>,
  Expect<Equal<DrillDownItem['label'], string | null>>,
  Expect<Equal<EvalResult['label']['accuracy']['estimate'], number | null>>,
  Expect<Equal<ApiError['code'] extends string ? true : false, true>>,
  Expect<Equal<keyof QueueFilter, 'level' | 'status' | 'sources' | 'document' | 'label' | 'theme' | 'minConfidence' | 'maxConfidence' | 'provider' | 'model' | 'promptVersion' | 'disagreement' | 'comparison' | 'disagree'>>,
];

// @ts-expect-error Source has documentCount, not documentTotal
export type RenamedSourceField = Source['documentTotal'];
// @ts-expect-error a queue entry carries no text, only its snippet
export type UndeclaredQueueField = QueueEntry['text'];
// @ts-expect-error a framing row's counts are per label id; it has no `total`
export type UndeclaredFramingField = FramingRow['total'];
// @ts-expect-error the error code is the closed ErrorCode union, not any string
export const unknownErrorCode: ApiError['code'] = 'no_such_code';
