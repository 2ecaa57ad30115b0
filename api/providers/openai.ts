import OpenAI, {
  AzureOpenAI,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { zodIssueText } from '../errors.ts';
import { providerLabel } from './label.ts';
import { batchPriceFor, priceFor, type ModelPrice } from './prices.ts';
import { openAIBatchApi } from './openaiBatch.ts';
import { rateLimitOf } from './rateLimit.ts';
import { redactText, redactUrl, secretsOf } from './redact.ts';
import type { ClassifyOptions, ClassifyOutput, ClassifyRequest, ClassifyResult, Provider, ProviderErrorKind } from './types.ts';

/** How the answer's shape is enforced: JSON schema (structured output), or JSON mode plus validation. */
export type ResponseFormatMode = 'json_schema' | 'json_object';

export interface OpenAIProviderOptions {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** 0 by default: labels should not depend on sampling luck (self-consistency asks again instead). */
  temperature?: number;
  /** Output token cap per request. */
  maxTokens?: number;
  /** `auto` tries JSON schema and falls back to JSON mode for a server that refuses it. */
  responseFormat?: ResponseFormatMode | 'auto';
  /** ms per request; the SDK's own retries are off because tagging runs retry with backoff themselves. */
  timeoutMs?: number;
  prices?: Record<string, ModelPrice>;
  /** Azure OpenAI: `baseURL` is the resource endpoint and `model` the deployment, asked with this api-version. */
  azure?: { apiVersion: string };
  /** How the UI names where it runs instead of the base URL's host, e.g. `profile "lab ollama"`. */
  via?: string;
  /** Requests in flight at most (a profile's setting). */
  concurrency?: number;
}

/** The SDK client for these options: AzureOpenAI for an Azure resource (deployment routes, api-version), else OpenAI. */
export function openAIClient(opts: Pick<OpenAIProviderOptions, 'apiKey' | 'baseURL' | 'timeoutMs' | 'azure'>): OpenAI {
  const common = {
    apiKey: opts.apiKey ?? 'not-needed',
    maxRetries: 0, // tagging runs retry with backoff and adapt concurrency on 429 themselves
    timeout: opts.timeoutMs ?? 60_000, // 60 s
  };
  if (opts.azure) return new AzureOpenAI({ ...common, endpoint: opts.baseURL, apiVersion: opts.azure.apiVersion });
  return new OpenAI({ ...common, baseURL: opts.baseURL });
}

/** The answer schema generated from a codebook: label enum, stance integer range, theme enum array. */
export function suggestionSchema(cb: CodebookDefinition) {
  const labelIds = cb.labels.map((l) => l.id) as [string, ...string[]];
  const themeIds = cb.themes.map((t) => t.id);
  return z.object({
    label: z.enum(labelIds),
    stance: z.number().int().min(cb.stance.min).max(cb.stance.max),
    themes: themeIds.length > 0 ? z.array(z.enum(themeIds as [string, ...string[]])) : z.array(z.string()).max(0),
    confidence: z.number().min(0).max(1),
    rationale: z.string(),
    evidence: z.array(z.string()),
    substantive: z.boolean(),
  });
}

type Answer = z.infer<ReturnType<typeof suggestionSchema>>;
type Parsed = { ok: true; value: Answer } | { ok: false; error: string };

function parseAnswer(schema: ReturnType<typeof suggestionSchema>, content: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (err) {
    return { ok: false, error: `answer is not valid JSON (${(err as Error).message})` };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `answer breaks the schema at ${zodIssueText(parsed.error, { root: 'root' })}` };
}

/**
 * `zodResponseFormat` for the codebook's schema, with a parser that keeps the raw content
 * instead of throwing on a schema-breaking answer, so the answer can be recorded and repaired;
 * length and content-filter finishes still throw the SDK's typed errors.
 */
function lenientFormat(schema: ReturnType<typeof suggestionSchema>) {
  const strict = zodResponseFormat(schema, 'framing_suggestion');
  return Object.defineProperties(
    { ...strict },
    {
      $brand: { value: 'auto-parseable-response-format', enumerable: false },
      $parseRaw: { value: (content: string) => content, enumerable: false },
    },
  ) as unknown as typeof strict;
}

/** What one completion says: a refusal, a usable answer, or content that breaks the schema (raw: the completion as recorded). */
export type CompletionReading =
  | { kind: 'refusal'; error: string; raw: string }
  | { kind: 'answer'; output: ClassifyOutput; raw: string }
  | { kind: 'invalid'; error: string; content: string; raw: string };

/** Reads one completion's first choice against the codebook's schema (the parsed copy the SDK adds is left out of the record). */
export function readCompletion(completion: ChatCompletion, schema: ReturnType<typeof suggestionSchema>): CompletionReading {
  const { parsed: _parsed, ...message } = (completion.choices[0]?.message ?? {}) as { parsed?: unknown; content?: string | null; refusal?: string | null };
  const raw = JSON.stringify({ ...completion, choices: completion.choices.map((c) => ({ ...c, message })) });
  if (message.refusal) return { kind: 'refusal', error: `the model refused: ${message.refusal}`, raw };
  const content = message.content ?? '';
  const parsed = parseAnswer(schema, content);
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error, content, raw };
  return { kind: 'answer', output: { ...parsed.value, evidence: parsed.value.evidence.map((quote) => ({ quote })) }, raw };
}

/** ms from a retry-after (seconds or HTTP date) or retry-after-ms header. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (Number.isFinite(Number(value))) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Maps the SDK's error classes (by type, never by message text) to our failure kinds. */
export function classifyError(err: unknown): { errorKind: ProviderErrorKind; error: string; retryAfterMs?: number } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof APIUserAbortError) return { errorKind: 'cancelled', error: 'cancelled' };
  if (err instanceof APIConnectionTimeoutError) return { errorKind: 'timeout', error: `request timed out: ${message}` };
  if (err instanceof APIConnectionError) return { errorKind: 'network', error: `connection failed: ${message}` };
  if (err instanceof RateLimitError) return { errorKind: 'rate_limited', error: `rate limited (429): ${message}`, retryAfterMs: retryAfterMs(err.headers) };
  if (err instanceof InternalServerError) return { errorKind: 'server_error', error: `server error (${err.status}): ${message}`, retryAfterMs: retryAfterMs(err.headers) };
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) return { errorKind: 'auth', error: `not authorised (${err.status}): ${message}` };
  if (err instanceof BadRequestError || err instanceof UnprocessableEntityError || err instanceof NotFoundError) return { errorKind: 'bad_request', error: `request refused (${err.status}): ${message}` };
  if (err instanceof LengthFinishReasonError) return { errorKind: 'length', error: 'the answer was cut off at the token limit (finish_reason length)' };
  if (err instanceof ContentFilterFinishReasonError) return { errorKind: 'content_filter', error: 'the answer was withheld by a content filter (finish_reason content_filter)' };
  if (err instanceof APIError && (err.status ?? 0) >= 500) return { errorKind: 'server_error', error: `server error (${err.status}): ${message}` };
  if (err instanceof APIError) return { errorKind: 'bad_request', error: `request failed (${err.status ?? 'no status'}): ${message}` };
  return { errorKind: 'network', error: message };
}

/** A server that lacks JSON-schema output says so with a 400/422 naming the response format. */
export function isUnsupportedSchema(err: unknown): boolean {
  return (err instanceof BadRequestError || err instanceof UnprocessableEntityError) && /response_format|json_schema|structured/i.test(err.message);
}

/**
 * A Provider for OpenAI and any OpenAI-compatible server (Azure, OpenRouter, Ollama, vLLM,
 * llama.cpp, LM Studio) through the `openai` SDK: structured output via
 * `chat.completions.parse` + `zodResponseFormat` with a schema generated from the codebook;
 * JSON mode plus validation for servers without JSON schema; one repair attempt for an
 * invalid answer; refusals, length and content-filter finishes reported as such.
 */
export function createOpenAIProvider(opts: OpenAIProviderOptions): Provider {
  const client = openAIClient(opts);
  const temperature = opts.temperature ?? 0;
  const maxTokens = opts.maxTokens ?? 800;
  // Credentials in OPENAI_BASE_URL or the key must never reach a stored error, a log or an answer.
  const secrets = secretsOf(opts.baseURL, opts.apiKey);
  let mode: ResponseFormatMode = opts.responseFormat === 'json_object' ? 'json_object' : 'json_schema';
  // Converting the schema to JSON schema is costly: once per codebook, not once per request.
  const compiled = new WeakMap<CodebookDefinition, { schema: ReturnType<typeof suggestionSchema>; format: ReturnType<typeof lenientFormat>; jsonSchema: string }>();
  const compiledFor = (cb: CodebookDefinition) => {
    let c = compiled.get(cb);
    if (!c) {
      const schema = suggestionSchema(cb);
      c = { schema, format: lenientFormat(schema), jsonSchema: JSON.stringify(z.toJSONSchema(schema)) };
      compiled.set(cb, c);
    }
    return c;
  };

  const baseBody = (messages: ChatCompletionMessageParam[]) => ({ model: opts.model, messages, temperature, max_tokens: maxTokens });
  /** The messages of a request: in JSON mode the system message carries the JSON schema. */
  const messagesFor = (request: ClassifyRequest): ChatCompletionMessageParam[] => [
    {
      role: 'system',
      content: mode === 'json_object' ? `${request.messages.system}\n\nThe JSON object must follow this JSON schema:\n${compiledFor(request.codebook).jsonSchema}` : request.messages.system,
    },
    { role: 'user', content: request.messages.user },
  ];

  /** One chat completion; returns its content, or throws the SDK's error. */
  async function complete(messages: ChatCompletionMessageParam[], cb: CodebookDefinition, options: ClassifyOptions) {
    const requestOptions = { signal: options.signal, timeout: options.timeoutMs ?? opts.timeoutMs ?? 60_000 };
    const base = baseBody(messages);
    if (mode === 'json_schema') {
      const { data, request_id, response } = await client.chat.completions.parse({ ...base, response_format: compiledFor(cb).format }, requestOptions).withResponse();
      return { completion: data as ChatCompletion, requestId: request_id, headers: response.headers };
    }
    const { data, request_id, response } = await client.chat.completions.create({ ...base, response_format: { type: 'json_object' } }, requestOptions).withResponse();
    const finish = data.choices[0]?.finish_reason;
    if (finish === 'length') throw new LengthFinishReasonError();
    if (finish === 'content_filter') throw new ContentFilterFinishReasonError();
    return { completion: data, requestId: request_id, headers: response.headers };
  }

  const price = priceFor(opts.model, opts.prices);
  return {
    name: 'openai',
    model: opts.model,
    displayName: `${providerLabel('openai', opts.model)} via ${opts.via ?? (opts.baseURL ? redactUrl(opts.baseURL) : 'api.openai.com')}`,
    params: { temperature, maxTokens, responseFormat: opts.responseFormat ?? 'auto' },
    price,
    batch: openAIBatchApi(client, {
      price: batchPriceFor(opts.model, price, opts.prices),
      body: (request) => ({ ...baseBody(messagesFor(request)), response_format: mode === 'json_schema' ? compiledFor(request.codebook).format : { type: 'json_object' } }),
      read: (completion, cb) => readCompletion(completion, compiledFor(cb).schema),
      mode: () => mode,
      classifyError,
      redact: (text) => redactText(text, secrets),
    }),
    concurrency: opts.concurrency,
    async classify(request: ClassifyRequest, options: ClassifyOptions = {}): Promise<ClassifyResult> {
      const { schema, jsonSchema } = compiledFor(request.codebook);
      const messages = messagesFor(request);
      const started = performance.now();
      let tokensIn = 0;
      let tokensOut = 0;
      const raws: string[] = [];
      let repaired = false;
      let requestId: string | null = null;
      let rateLimit: ReturnType<typeof rateLimitOf>;
      for (let round = 0; round < 2; round++) {
        let result: Awaited<ReturnType<typeof complete>>;
        try {
          result = await complete(messages, request.codebook, options);
        } catch (err) {
          if (mode === 'json_schema' && opts.responseFormat !== 'json_schema' && isUnsupportedSchema(err)) {
            // Remember for this provider: every later request goes straight to JSON mode.
            mode = 'json_object';
            messages[0] = { role: 'system', content: `${request.messages.system}\n\nThe JSON object must follow this JSON schema:\n${jsonSchema}` };
            round--;
            continue;
          }
          const failure = classifyError(err);
          rateLimit = (err instanceof APIError ? rateLimitOf(err.headers) : undefined) ?? rateLimit;
          return { ok: false, ...failure, error: redactText(failure.error, secrets), rawResponse: raws.length > 0 ? redactText(raws.join('\n'), secrets) : undefined, tokensIn, tokensOut, rateLimit };
        }
        const { completion } = result;
        rateLimit = rateLimitOf(result.headers) ?? rateLimit;
        requestId = result.requestId ?? completion.id ?? null;
        tokensIn += completion.usage?.prompt_tokens ?? 0;
        tokensOut += completion.usage?.completion_tokens ?? 0;
        const reading = readCompletion(completion, schema);
        raws.push(reading.raw);
        if (reading.kind === 'refusal') {
          return { ok: false, errorKind: 'refusal', error: reading.error, rawResponse: raws.join('\n'), tokensIn, tokensOut, rateLimit };
        }
        if (reading.kind === 'answer') {
          return {
            ok: true,
            output: reading.output,
            tokensIn,
            tokensOut,
            latencyMs: Math.round(performance.now() - started),
            requestId,
            rawResponse: raws.join('\n'),
            // The model the API says answered (e.g. a dated snapshot of the alias asked for): the exported model version.
            params: { responseFormatUsed: mode, repaired, modelVersion: completion.model },
            rateLimit,
          };
        }
        if (round === 1) {
          return { ok: false, errorKind: 'invalid_output', error: `${reading.error} (also after one repair attempt)`, rawResponse: raws.join('\n'), tokensIn, tokensOut, rateLimit };
        }
        repaired = true;
        messages.push(
          { role: 'assistant', content: reading.content },
          { role: 'user', content: `That answer is not usable: ${reading.error}. Reply again with only the JSON object, exactly in the required format.` },
        );
      }
      return { ok: false, errorKind: 'invalid_output', error: 'no usable answer', rawResponse: raws.join('\n'), tokensIn, tokensOut };
    },
  };
}
