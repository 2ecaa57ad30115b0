import { QUEUE_FILTER_KEYS, QUEUE_ORDERS, type QueueFilterKey, type QueueOrder } from '../../../../api/review/queue-params.ts';
import { api, call, type Input, type Ok } from './client.ts';

export { QUEUE_ORDERS, type QueueOrder };
/** Every queue filter key, as it appears in the page URL and the API query. */
export const FILTER_KEYS = QUEUE_FILTER_KEYS;

const item = api.items[':id'];

export type Me = Ok<typeof api.auth.me.$get>;
/** The person reviewing. */
export type Actor = NonNullable<Me['actor']>;
export type ReviewSetup = Ok<typeof api.review.setup.$get>;
export type ReviewProtocol = Ok<typeof api.review.settings.$get>;
export type QueuePage = Ok<typeof api.review.queue.$get>;
export type QueueEntry = QueuePage['entries'][number];
export type ItemView = Ok<typeof item.$get>;
export type ItemState = ItemView['item'];
export type SuggestionView = ItemView['suggestions'][number];
export type EvidenceQuote = SuggestionView['evidence'][number];
export type ReviewView = ItemView['reviews'][number];
export type ContextPassage = NonNullable<ItemView['previous']>;
export type HistoryEntry = Ok<typeof item.history.$get>['entries'][number];
export type Decision = Input<typeof item.reviews.$post>['json'];
export type DecisionResult = Ok<typeof item.reviews.$post>;
export type BulkPreview = Ok<typeof api.review.bulk.preview.$post>;
export type AdjudicationCase = Ok<typeof api.review.adjudication.$get>['cases'][number];
export type AgreementReport = Ok<typeof api.review.agreement.$get>;
/** Agreement figures over one set of items. */
export type AgreementBlock = Omit<AgreementReport['modelHuman'], 'perLabel' | 'perReviewer' | 'statement'>;
export type Estimate = AgreementBlock['percent'];
export type User = Ok<typeof api.users.$post>;

/**
 * The queue filter as it lives in the URL: the API's filter keys, each as its text (absent = no
 * filter). The API validates the values; the same object is the bulk-accept filter.
 */
export type QueueFilter = { [K in QueueFilterKey]?: string };

const id = (n: number) => ({ id: String(n) });

export const reviewApi = {
  me: () => call(api.auth.me.$get()),
  chooseName: (name: string) => call(api.auth.me.$post({ json: { name } })),
  login: (name: string, password: string) => call(api.auth.login.$post({ json: { name, password } })),
  logout: () => call(api.auth.logout.$post()),
  setup: () => call(api.review.setup.$get()),
  queue: (filter: QueueFilter, order: QueueOrder, cursor?: string | null, limit = 50) =>
    call(api.review.queue.$get({ query: { ...filter, order, cursor: cursor ?? undefined, limit: String(limit) } })),
  item: (itemId: number, mode: 'code' | 'adjudicate' = 'code') => call(item.$get({ param: id(itemId), query: { mode } })),
  history: (itemId: number) => call(item.history.$get({ param: id(itemId) })),
  decide: (itemId: number, d: Decision) => call(item.reviews.$post({ param: id(itemId), json: d })),
  note: (itemId: number, note: string) => call(item.notes.$post({ param: id(itemId), json: { note } })),
  undo: (reviewId?: number) => call(api.review.undo.$post({ json: reviewId === undefined ? {} : { reviewId } })),
  bulkPreview: (filter: QueueFilter, threshold: number) => call(api.review.bulk.preview.$post({ json: { filter, threshold } })),
  bulkAccept: (filter: QueueFilter, threshold: number, expectedCount: number, queueOrder: QueueOrder) =>
    call(api.review.bulk.accept.$post({ json: { filter, threshold, expectedCount, queueOrder } })),
  settings: () => call(api.review.settings.$get()),
  saveSettings: (p: ReviewProtocol) => call(api.review.settings.$put({ json: p })),
  adjudication: (kind?: 'reviewers' | 'model') => call(api.review.adjudication.$get({ query: { kind } })),
  agreement: (level: 'passage' | 'document' = 'passage') => call(api.review.agreement.$get({ query: { level } })),
  users: () => call(api.users.$get()),
  createUser: (u: Input<typeof api.users.$post>['json']) => call(api.users.$post({ json: u })),
};
