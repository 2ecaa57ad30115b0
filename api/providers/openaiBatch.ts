import { APIError, toFile, type OpenAI } from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import type { Batch } from 'openai/resources/batches';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import type { CompletionReading } from './openai.ts';
import type { ModelPrice } from './prices.ts';
import type { BatchApi, BatchInfo, ClassifyRequest, ClassifyResult, ProviderErrorKind } from './types.ts';

/** What the online provider lends its Batch API, so both build and read requests the same way. */
export interface BatchCodec {
  price: ModelPrice | null;
  /** The chat-completion body the online path would post for the request. */
  body(request: ClassifyRequest): Record<string, unknown>;
  read(completion: ChatCompletion, codebook: CodebookDefinition): CompletionReading;
  /** The response format the bodies ask for now. */
  mode(): string;
  classifyError(err: unknown): { errorKind: ProviderErrorKind; error: string };
  redact(text: string): string;
}

/** Management calls (upload, create, poll, download) are retried by the SDK; a 200 MB upload gets 10 minutes. */
const MANAGE = { maxRetries: 3 } as const;
const UPLOAD_TIMEOUT_MS = 600_000; // 10 min
/** Batches scanned when looking for one whose creation was cut short before its id was stored. */
const FIND_SCAN_LIMIT = 500;

function infoOf(b: Batch): BatchInfo {
  const errors = b.errors?.data?.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'error'}`).join('; ');
  return {
    id: b.id,
    status: b.status,
    inputFileId: b.input_file_id,
    outputFileId: b.output_file_id ?? null,
    errorFileId: b.error_file_id ?? null,
    requests: { total: b.request_counts?.total ?? 0, completed: b.request_counts?.completed ?? 0, failed: b.request_counts?.failed ?? 0 },
    errors: errors || null,
    metadata: (b.metadata ?? {}) as Record<string, string>,
  };
}

interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: number; request_id?: string; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

/**
 * The OpenAI Batch API (`client.files` with purpose `batch`, `client.batches` with a 24 h
 * completion window) over the provider's own client. A line's answer is read exactly as an
 * online answer is (schema, refusal, length and content-filter finishes, error classes by
 * HTTP status), except that a schema-breaking answer is not repaired in a second round.
 */
export function openAIBatchApi(client: OpenAI, codec: BatchCodec): BatchApi {
  const fail = (errorKind: ProviderErrorKind, error: string, extra: { rawResponse?: string; tokensIn?: number; tokensOut?: number } = {}): ClassifyResult => ({
    ok: false,
    errorKind,
    error: codec.redact(error),
    ...extra,
  });

  return {
    price: codec.price,
    line: (customId, request) => JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: codec.body(request) }),
    readLine(text, codebook) {
      let line: OutputLine;
      try {
        line = JSON.parse(text) as OutputLine;
      } catch {
        return null;
      }
      if (typeof line.custom_id !== 'string') return null;
      const customId = line.custom_id;
      const response = line.response;
      if (!response || line.error) {
        const what = line.error ? `${line.error.code ?? 'error'}: ${line.error.message ?? ''}` : 'no response';
        return { customId, result: fail('server_error', `the batch did not answer this request (${what})`) };
      }
      const status = response.status_code ?? 0;
      if (status !== 200) {
        const failure = codec.classifyError(APIError.generate(status, response.body as object | undefined, undefined, new Headers()));
        return { customId, result: fail(failure.errorKind, failure.error, { rawResponse: JSON.stringify(response.body ?? null) }) };
      }
      const completion = response.body as ChatCompletion;
      const tokensIn = completion.usage?.prompt_tokens ?? 0;
      const tokensOut = completion.usage?.completion_tokens ?? 0;
      const finish = completion.choices?.[0]?.finish_reason;
      if (finish === 'length' || finish === 'content_filter') {
        const failure = codec.classifyError(finish === 'length' ? new LengthFinishReasonError() : new ContentFilterFinishReasonError());
        return { customId, result: fail(failure.errorKind, failure.error, { rawResponse: JSON.stringify(completion), tokensIn, tokensOut }) };
      }
      const reading = codec.read(completion, codebook);
      if (reading.kind === 'refusal') return { customId, result: fail('refusal', reading.error, { rawResponse: reading.raw, tokensIn, tokensOut }) };
      if (reading.kind === 'invalid') return { customId, result: fail('invalid_output', `${reading.error} (a batch answer gets no repair round)`, { rawResponse: reading.raw, tokensIn, tokensOut }) };
      return {
        customId,
        result: {
          ok: true,
          output: reading.output,
          tokensIn,
          tokensOut,
          latencyMs: 0,
          requestId: response.request_id ?? completion.id ?? null,
          rawResponse: reading.raw,
          params: { responseFormatUsed: codec.mode(), repaired: false, modelVersion: completion.model },
        },
      };
    },
    async upload(jsonl, filename, signal) {
      const file = await client.files.create({ file: await toFile(Buffer.from(jsonl, 'utf8'), filename, { type: 'application/jsonl' }), purpose: 'batch' }, { ...MANAGE, signal, timeout: UPLOAD_TIMEOUT_MS });
      return file.id;
    },
    async create(inputFileId, metadata, signal) {
      return infoOf(await client.batches.create({ input_file_id: inputFileId, endpoint: '/v1/chat/completions', completion_window: '24h', metadata }, { ...MANAGE, signal }));
    },
    async find(metadata, signal) {
      let scanned = 0;
      for await (const b of client.batches.list({ limit: 100 }, { ...MANAGE, signal })) {
        const m = (b.metadata ?? {}) as Record<string, string>;
        if (Object.entries(metadata).every(([k, v]) => m[k] === v)) return infoOf(b);
        if (++scanned >= FIND_SCAN_LIMIT) break;
      }
      return null;
    },
    retrieve: async (batchId, signal) => infoOf(await client.batches.retrieve(batchId, { ...MANAGE, signal })),
    content: async (fileId, signal) => (await client.files.content(fileId, { ...MANAGE, signal, timeout: UPLOAD_TIMEOUT_MS })).text(),
    cancel: async (batchId, signal) => infoOf(await client.batches.cancel(batchId, { ...MANAGE, signal })),
  };
}
