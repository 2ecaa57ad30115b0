import { createHash } from 'node:crypto';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import type { EvidenceQuote } from '../../db/schema/suggestions.ts';
import { costUsd } from '../providers/prices.ts';
import { RETRYABLE_KINDS, type ClassifyOutput, type ClassifyRequest, type Provider, type ProviderErrorKind, type RateLimitInfo, type RawEvidence } from '../providers/types.ts';
import { DEFAULT_PROMPT_VERSIONS, getPromptTemplate, promptFingerprint, renderPrompt, type Level, type PromptContext, type RenderedPrompt } from './prompts.ts';

/** A codebook as suggestions cite it. */
export interface CodebookRef {
  definition: CodebookDefinition;
  version: string;
  hash: string;
}

/** One item to ask about, without any database: shared by tagging runs and the evals runner. */
export interface SuggestInput {
  codebook: CodebookRef;
  level: Level;
  text: string;
  sourceName?: string | null;
  documentTitle?: string | null;
  /** Keep the outlet's name out of the prompt; recorded in provenance. */
  maskOutlet: boolean;
  /** Defaults to the level's current prompt (passage-v2 / document-v2). */
  promptVersion?: string;
  /** A document's passages that are not excluded (offsets into `text`): what the local baseline reads of it. */
  passages?: { start: number; end: number }[];
}

/** A suggestion ready to store: the answer, verified evidence and full provenance. */
export interface SuggestionDraft {
  label: string;
  stance: number;
  themes: string[];
  confidence: number | null;
  rationale: string;
  evidence: EvidenceQuote[];
  substantive: boolean;
  provider: Provider['name'];
  model: string;
  promptVersion: string;
  promptHash: string;
  codebookVersion: string;
  codebookHash: string;
  params: Record<string, unknown>;
  outletMasked: boolean;
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
  /** ms, of the request that produced the answer */
  latencyMs: number;
  requestId: string | null;
  rawResponse: string;
}

export type SuggestResult =
  | { ok: true; suggestion: SuggestionDraft; attempts: number }
  | {
      ok: false;
      errorKind: ProviderErrorKind;
      error: string;
      rawResponse?: string;
      attempts: number;
      /** Spent on failed attempts that still consumed tokens (a refusal, a length finish). */
      costUsd: number | null;
    };

/** How a request ended, as admission control learns from it: the server's stated rate limits and the tokens it used. */
export type GateOutcome = ({ ok: true } | { ok: false; errorKind: ProviderErrorKind; retryAfterMs?: number }) & { rateLimit?: RateLimitInfo; tokens?: number };

/**
 * Shared admission control for requests: a tagging run passes one so that every worker slows
 * down together on a 429 and speeds up again after successes.
 */
export interface RequestGate {
  /** Waits for a free slot; the returned function reports how the request ended. */
  acquire(signal?: AbortSignal): Promise<(outcome: GateOutcome) => void>;
}

export interface SuggestOptions {
  signal?: AbortSignal;
  /** ms per request */
  timeoutMs?: number;
  /** Attempts for retryable failures (429, 5xx, timeouts, dropped connections); 1 = no retry. */
  maxAttempts?: number;
  /** ms; first backoff delay, doubled each attempt, with jitter. */
  backoffBaseMs?: number;
  /** ms; the longest backoff delay. */
  backoffMaxMs?: number;
  gate?: RequestGate;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The prompt version and hash an input will use. */
export function promptFor(input: Pick<SuggestInput, 'level' | 'promptVersion'>) {
  return getPromptTemplate(input.promptVersion ?? DEFAULT_PROMPT_VERSIONS[input.level], input.level);
}

function promptContext(input: SuggestInput): PromptContext {
  return { codebook: input.codebook.definition, text: input.text, sourceName: input.sourceName, documentTitle: input.documentTitle, maskOutlet: input.maskOutlet };
}

/**
 * The cache key of asking `provider` about an item: the same rendered prompt (text, outlet and
 * title as sent, after masking; the per-request nonce left out), provider, model, parameters,
 * codebook and sample index means the answer is already stored. A document from another outlet
 * or with another title therefore never reuses an answer given about a different prompt.
 */
export function cacheKeyFor(provider: Provider, input: SuggestInput, sampleIndex = 0): string {
  const prompt = promptFor(input);
  return sha256(
    JSON.stringify([promptFingerprint(prompt, promptContext(input)), provider.name, provider.model, prompt.hash, input.codebook.hash, provider.params, input.maskOutlet, sampleIndex]),
  );
}

/**
 * Finds each quote in the text. A verified quote carries its offsets (text.slice(start, end) === quote);
 * a quote that is not in the text is kept, flagged unverified, with no offsets, so it is never highlighted.
 */
export function verifyEvidence(text: string, evidence: RawEvidence[]): EvidenceQuote[] {
  return evidence.map(({ quote, start: hint }) => {
    const q = quote.trim();
    if (q.length === 0) return { quote, verified: false, start: null, end: null };
    const start = hint !== undefined && text.slice(hint, hint + q.length) === q ? hint : text.indexOf(q);
    return start >= 0 ? { quote: q, verified: true, start, end: start + q.length } : { quote, verified: false, start: null, end: null };
  });
}

/** Checks an answer against the codebook; a provider should never pass these, but the stored data must hold. */
function checkAgainstCodebook(out: ClassifyOutput, cb: CodebookDefinition): string | null {
  if (!cb.labels.some((l) => l.id === out.label)) return `label "${out.label}" is not in the codebook`;
  if (!Number.isInteger(out.stance) || out.stance < cb.stance.min || out.stance > cb.stance.max) return `stance ${out.stance} is outside ${cb.stance.min}..${cb.stance.max}`;
  const unknown = out.themes.filter((t) => !cb.themes.some((th) => th.id === t));
  if (unknown.length > 0) return `unknown themes: ${unknown.join(', ')}`;
  if (out.confidence !== null && !(out.confidence >= 0 && out.confidence <= 1)) return `confidence ${out.confidence} is outside 0..1`;
  return null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** ms to wait before attempt `attempt + 1`: exponential with equal jitter, or the server's retry-after. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs + Math.random() * Math.min(baseMs, 250);
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * The request a provider is asked for an input. The prompt is rendered (with its nonce) only
 * when a provider reads it: the local baseline classifies the text alone, and rendering the
 * codebook into every prompt was most of its work on a large run.
 */
export function classifyRequest(input: SuggestInput): ClassifyRequest {
  const prompt = promptFor(input);
  let rendered: RenderedPrompt | null = null;
  const render = () => (rendered ??= renderPrompt(prompt, promptContext(input)));
  return {
    codebook: input.codebook.definition,
    level: input.level,
    text: input.text,
    passages: input.passages,
    get messages() {
      const { system, user } = render();
      return { system, user };
    },
    get nonce() {
      return render().nonce;
    },
  };
}

/**
 * Asks a provider about one passage or document and returns a storable suggestion, or the
 * reason it failed. No database: tagging runs persist the result; the evals runner scores it.
 * Retryable failures are retried with backoff (honouring retry-after) up to `maxAttempts`.
 */
export async function suggestForText(provider: Provider, input: SuggestInput, options: SuggestOptions = {}): Promise<SuggestResult> {
  const prompt = promptFor(input);
  const request = classifyRequest(input);
  const maxAttempts = options.maxAttempts ?? 1;
  const baseMs = options.backoffBaseMs ?? 500;
  const maxMs = options.backoffMaxMs ?? 30_000; // 30 s
  let failedCost: number | null = null;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) return { ok: false, errorKind: 'cancelled', error: 'cancelled', attempts: attempt - 1, costUsd: failedCost };
    const release = options.gate ? await options.gate.acquire(options.signal) : null;
    if (options.signal?.aborted) {
      release?.({ ok: true });
      return { ok: false, errorKind: 'cancelled', error: 'cancelled', attempts: attempt - 1, costUsd: failedCost };
    }
    const result = await provider.classify(request, { signal: options.signal, timeoutMs: options.timeoutMs });
    const learnt = { rateLimit: result.rateLimit, tokens: (result.tokensIn ?? 0) + (result.tokensOut ?? 0) };
    release?.(result.ok ? { ok: true, ...learnt } : { ok: false, errorKind: result.errorKind, retryAfterMs: result.retryAfterMs, ...learnt });
    if (result.ok) {
      const problem = checkAgainstCodebook(result.output, input.codebook.definition);
      if (problem) return { ok: false, errorKind: 'invalid_output', error: problem, rawResponse: result.rawResponse, attempts: attempt, costUsd: failedCost };
      const cost = costUsd(provider.price, result.tokensIn, result.tokensOut);
      return {
        ok: true,
        attempts: attempt,
        suggestion: {
          ...result.output,
          themes: [...new Set(result.output.themes)],
          evidence: verifyEvidence(input.text, result.output.evidence),
          provider: provider.name,
          model: provider.model,
          promptVersion: prompt.id,
          promptHash: prompt.hash,
          codebookVersion: input.codebook.version,
          codebookHash: input.codebook.hash,
          params: { ...provider.params, ...result.params, maskOutlet: input.maskOutlet },
          outletMasked: input.maskOutlet,
          tokensIn: result.tokensIn,
          tokensOut: result.tokensOut,
          costUsd: cost === null ? null : cost + (failedCost ?? 0),
          latencyMs: result.latencyMs,
          requestId: result.requestId,
          rawResponse: result.rawResponse,
        },
      };
    }
    const spent = costUsd(provider.price, result.tokensIn ?? null, result.tokensOut ?? null);
    if (spent !== null) failedCost = (failedCost ?? 0) + spent;
    if (!RETRYABLE_KINDS.has(result.errorKind) || attempt >= maxAttempts || options.signal?.aborted) {
      return {
        ok: false,
        errorKind: options.signal?.aborted ? 'cancelled' : result.errorKind,
        error: attempt > 1 ? `${result.error} (after ${attempt} attempts)` : result.error,
        rawResponse: result.rawResponse,
        attempts: attempt,
        costUsd: failedCost,
      };
    }
    await sleep(backoffMs(attempt, baseMs, maxMs, result.retryAfterMs), options.signal);
  }
}
