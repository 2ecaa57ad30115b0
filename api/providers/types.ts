import type { CodebookDefinition } from '../codebooks/definition.ts';
import type { JsonValue } from '../json.ts';

/** Which kind of provider proposed a suggestion: an OpenAI-compatible model server, or the embedded local baseline. */
export type ProviderName = 'openai' | 'local';

/** Why a request failed; the same words are stored in tagging_run_items.error_kind. */
export const PROVIDER_ERROR_KINDS = [
  'refusal',
  'length',
  'content_filter',
  'invalid_output',
  'rate_limited',
  'server_error',
  'timeout',
  'network',
  'bad_request',
  'auth',
  'cancelled',
  'budget',
] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

/** Error kinds worth asking again (with backoff); the others are final for the item. */
export const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'server_error', 'timeout', 'network']);

/** The chat messages a prompt template renders to. */
export interface PromptMessages {
  system: string;
  user: string;
}

/** What a provider is asked: one item's text under one codebook, with the rendered prompt. */
export interface ClassifyRequest {
  codebook: CodebookDefinition;
  level: 'passage' | 'document';
  text: string;
  messages: PromptMessages;
  /** The random code this request's data markers carry; keys that compare prompts across requests leave it out. */
  nonce?: string;
  /** A document's passages that are not excluded, as offsets into `text`; the local baseline reads only these. */
  passages?: { start: number; end: number }[];
}

/** A quote the provider offers as evidence; `start` is a hint where it sits in the text (the local baseline knows it). */
export interface RawEvidence {
  quote: string;
  start?: number;
}

/** The answer fields, already checked against the codebook's label ids, stance range and theme ids. */
export interface ClassifyOutput {
  label: string;
  stance: number;
  themes: string[];
  confidence: number | null;
  rationale: string;
  evidence: RawEvidence[];
  substantive: boolean;
}

/**
 * What a server said about its rate limits on one response (OpenAI's x-ratelimit-* headers, which
 * Azure, OpenRouter and vLLM-style gateways copy); a field the server did not send is absent.
 */
export interface RateLimitInfo {
  limitRequests?: number;
  limitTokens?: number;
  remainingRequests?: number;
  remainingTokens?: number;
  /** ms until the request window resets */
  resetRequestsMs?: number;
  /** ms until the token window resets */
  resetTokensMs?: number;
}

/** A provider's answer to one request, with what it cost. */
export type ClassifyResult =
  | {
      ok: true;
      output: ClassifyOutput;
      tokensIn: number | null;
      tokensOut: number | null;
      /** ms */
      latencyMs: number;
      requestId: string | null;
      rawResponse: string;
      /** Parameters as actually used (response format mode, repair attempt ...). */
      params: Record<string, JsonValue>;
      rateLimit?: RateLimitInfo;
    }
  | {
      ok: false;
      errorKind: ProviderErrorKind;
      error: string;
      rawResponse?: string;
      /** ms to wait before asking again, from a retry-after header. */
      retryAfterMs?: number;
      tokensIn?: number | null;
      tokensOut?: number | null;
      rateLimit?: RateLimitInfo;
    };

/** Options for one request. */
export interface ClassifyOptions {
  signal?: AbortSignal;
  /** ms; per-request timeout. */
  timeoutMs?: number;
}

/** A source of suggestions: a model behind an OpenAI-compatible API, or the local baseline. */
export interface Provider {
  readonly name: ProviderName;
  readonly model: string;
  /** How the UI and CLI name it (label.ts), e.g. "local baseline (local-baseline-v2)" or "gpt-4o-mini (OpenAI-compatible) via api.openai.com". */
  readonly displayName: string;
  /** Parameters that change answers (temperature, max tokens ...): part of the cache key and the provenance. */
  readonly params: Record<string, JsonValue>;
  /** USD per 1M input and output tokens, or null when unknown (then costs are not counted). */
  readonly price: { inputPerMTok: number; outputPerMTok: number } | null;
  /** Requests in flight this provider allows at most (a profile's setting); a run asks for no more. */
  readonly concurrency?: number;
  classify(request: ClassifyRequest, options?: ClassifyOptions): Promise<ClassifyResult>;
  /** The provider's Batch API, when it has one. */
  readonly batch?: BatchApi;
}

/** The provider's Batch API status of one submitted batch. */
export interface BatchInfo {
  id: string;
  /** validating, in_progress, finalizing, completed, expired, failed, cancelling, cancelled */
  status: string;
  inputFileId: string;
  outputFileId: string | null;
  errorFileId: string | null;
  requests: { total: number; completed: number; failed: number };
  /** Why the provider refused the batch (status failed), or null. */
  errors: string | null;
  metadata: Record<string, string>;
}

/** Batch statuses after which a batch changes no more. */
export const FINISHED_BATCH_STATUSES: ReadonlySet<string> = new Set(['completed', 'expired', 'failed', 'cancelled']);

/**
 * Asking many items at once through the provider's Batch API, at the batch price: each line
 * carries the request the online path would send, each answer is read as the online path reads
 * one. Only providers with such an API have it.
 */
export interface BatchApi {
  /** USD per 1M tokens at the batch price, or null when the price is unknown. */
  readonly price: { inputPerMTok: number; outputPerMTok: number } | null;
  /** One JSONL line (no newline) asking `request` under `customId`. */
  line(customId: string, request: ClassifyRequest): string;
  /** Reads one line of an output or error file: the answer (or failure) for its custom_id. */
  readLine(line: string, codebook: CodebookDefinition): { customId: string; result: ClassifyResult } | null;
  /** Uploads a JSONL file of lines (purpose batch); returns its file id. */
  upload(jsonl: string, filename: string, signal?: AbortSignal): Promise<string>;
  /** Creates a batch over an uploaded file (24 h completion window). */
  create(inputFileId: string, metadata: Record<string, string>, signal?: AbortSignal): Promise<BatchInfo>;
  /** The provider's batch whose metadata holds every given pair, if one exists (a submission cut short before its id was stored). */
  find(metadata: Record<string, string>, signal?: AbortSignal): Promise<BatchInfo | null>;
  retrieve(batchId: string, signal?: AbortSignal): Promise<BatchInfo>;
  /** A file's content as text (output and error files). */
  content(fileId: string, signal?: AbortSignal): Promise<string>;
  cancel(batchId: string, signal?: AbortSignal): Promise<BatchInfo>;
}
