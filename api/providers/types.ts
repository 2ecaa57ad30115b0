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
  /** How the UI and CLI name it (label.ts), e.g. "local baseline (local-baseline-v1)" or "gpt-4o-mini (OpenAI-compatible) via api.openai.com". */
  readonly displayName: string;
  /** Parameters that change answers (temperature, max tokens ...): part of the cache key and the provenance. */
  readonly params: Record<string, JsonValue>;
  /** USD per 1M input and output tokens, or null when unknown (then costs are not counted). */
  readonly price: { inputPerMTok: number; outputPerMTok: number } | null;
  classify(request: ClassifyRequest, options?: ClassifyOptions): Promise<ClassifyResult>;
}
