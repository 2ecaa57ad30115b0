import { qs, request } from '../http.ts';

// Response shapes come from the services that produce them, so a renamed field breaks the build.
import type { QueueEntry, QueuePage } from '../../../../api/review/queue.ts';
import type { SuggestionView, ReviewView, ItemState, ContextPassage, ItemView, HistoryEntry } from '../../../../api/review/item.ts';
import type { Estimate, AgreementBlock, AgreementReport } from '../../../../api/review/agreement.ts';
import type { AdjudicationCase } from '../../../../api/review/adjudication.ts';
import type { PublicUser } from '../../../../api/auth/service.ts';
export type { QueueEntry, QueuePage, SuggestionView, ReviewView, ItemState, ContextPassage, ItemView, HistoryEntry, Estimate, AgreementBlock, AgreementReport, AdjudicationCase };

/** The person reviewing. */
export interface Actor {
  id: number;
  name: string;
  role: 'admin' | 'reviewer';
}
export interface Me {
  actor: Actor | null;
  loginRequired: boolean;
}
export interface ReviewProtocol {
  overlap: number;
  overlapShare: number;
  blind: boolean;
}
export interface CodebookSummary {
  id: number;
  name: string;
  version: string;
  labels: { id: string; name: string; definition: string }[];
  stance: { target: string; min: number; max: number; labels: Record<string, string> };
  themes: { id: string; name: string }[];
}
export interface ReviewSetup {
  codebook: CodebookSummary;
  protocol: ReviewProtocol;
}

export const QUEUE_ORDERS = ['confidence', 'document', 'random', 'disputed'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

/** Queue filter as it lives in the URL (all strings; absent = no filter). */
export interface QueueFilter {
  level?: 'passage' | 'document';
  status?: 'unreviewed' | 'reviewed' | 'disputed' | 'excluded';
  source?: string;
  document?: string;
  label?: string;
  theme?: string;
  minConfidence?: string;
  maxConfidence?: string;
  provider?: string;
  model?: string;
  promptVersion?: string;
  disagreement?: 'models' | 'reviewers' | 'model-reviewer' | 'any';
}
export const FILTER_KEYS = ['level', 'status', 'source', 'document', 'label', 'theme', 'minConfidence', 'maxConfidence', 'provider', 'model', 'promptVersion', 'disagreement'] as const;


export interface EvidenceQuote {
  quote: string;
  verified: boolean;
  start: number | null;
  end: number | null;
}
export interface Decision {
  action: 'accept' | 'edit' | 'reject' | 'skip' | 'exclude' | 'include' | 'adjudicate';
  label?: string | null;
  stance?: number | null;
  themes?: string[] | null;
  note?: string | null;
  basedOnVersion: number;
  suggestionId?: number | null;
  queueOrder?: QueueOrder | null;
  timeSpentMs?: number | null;
}
export interface DecisionResult {
  reviewId: number;
  item: ItemState;
}
export interface BulkPreview {
  count: number;
  threshold: number;
  items: { itemId: number; label: string; confidence: number; snippet: string }[];
}
export type User = PublicUser;

/** Queue filter → API filter body (numbers parsed). */
export function filterBody(f: QueueFilter): Record<string, unknown> {
  const out: Record<string, unknown> = { level: f.level ?? 'passage' };
  for (const key of FILTER_KEYS) {
    const v = f[key];
    if (v === undefined || v === '' || key === 'level') continue;
    if (key === 'source') out[key] = v.split(',').map(Number);
    else if (key === 'document' || key === 'minConfidence' || key === 'maxConfidence') out[key] = Number(v);
    else out[key] = v;
  }
  return out;
}

export const reviewApi = {
  me: () => request<Me>('/api/auth/me'),
  chooseName: (name: string) => request<Me>('/api/auth/me', { method: 'POST', json: { name } }),
  login: (name: string, password: string) => request<Me>('/api/auth/login', { method: 'POST', json: { name, password } }),
  logout: () => request<Me>('/api/auth/logout', { method: 'POST' }),
  setup: () => request<ReviewSetup>('/api/review/setup'),
  queue: (filter: QueueFilter, order: QueueOrder, cursor?: string | null, limit = 50) =>
    request<QueuePage>(`/api/review/queue${qs({ ...filter, order, cursor: cursor ?? undefined, limit })}`),
  item: (id: number) => request<ItemView>(`/api/items/${id}`),
  history: (id: number) => request<{ entries: HistoryEntry[] }>(`/api/items/${id}/history`),
  decide: (id: number, d: Decision) => request<DecisionResult>(`/api/items/${id}/reviews`, { method: 'POST', json: d }),
  note: (id: number, note: string) => request<{ ok: boolean }>(`/api/items/${id}/notes`, { method: 'POST', json: { note } }),
  undo: (reviewId?: number) => request<DecisionResult & { undoneReviewId: number }>('/api/review/undo', { method: 'POST', json: reviewId === undefined ? {} : { reviewId } }),
  bulkPreview: (filter: QueueFilter, threshold: number) => request<BulkPreview>('/api/review/bulk/preview', { method: 'POST', json: { filter: filterBody(filter), threshold } }),
  bulkAccept: (filter: QueueFilter, threshold: number, expectedCount: number, queueOrder: QueueOrder) =>
    request<{ accepted: number }>('/api/review/bulk/accept', { method: 'POST', json: { filter: filterBody(filter), threshold, expectedCount, queueOrder } }),
  settings: () => request<ReviewProtocol>('/api/review/settings'),
  saveSettings: (p: ReviewProtocol) => request<ReviewProtocol>('/api/review/settings', { method: 'PUT', json: p }),
  adjudication: (kind?: 'reviewers' | 'model') => request<{ cases: AdjudicationCase[] }>(`/api/review/adjudication${qs({ kind })}`),
  agreement: () => request<AgreementReport>('/api/review/agreement'),
  users: () => request<{ users: User[] }>('/api/users'),
  createUser: (u: { name: string; role: 'admin' | 'reviewer'; password?: string }) => request<User>('/api/users', { method: 'POST', json: u }),
};
