import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestBatches, type TestBatches, type TestBatchOptions } from './batches.ts';
import { fixedWindowLimiter, type RateLimitOptions } from './limits.ts';

/**
 * A scripted OpenAI-compatible TEST server: it is not a model. It speaks the real wire format
 * of POST /v1/chat/completions (ids, usage, finish_reason, refusal, request ids, error bodies,
 * retry-after) and answers every request with a valid structured answer derived from the
 * request itself, unless a script says to misbehave. Tests and the tagging bench start it on
 * 127.0.0.1 and count what reached it.
 */

/** What the server does with one request. */
export type Behaviour =
  /** A valid answer (fields may be overridden); `delayMs` adds latency to this one. */
  | { kind: 'answer'; answer?: Record<string, unknown>; delayMs?: number }
  /** 429 with a retry-after header (seconds, may be fractional). */
  | { kind: 'rate_limit'; retryAfterS: number }
  | { kind: 'server_error'; status?: 500 | 502 | 503 }
  /** Closes the socket without answering. */
  | { kind: 'drop' }
  /** Never answers (until the client gives up). */
  | { kind: 'hang' }
  /** Content that is not JSON. */
  | { kind: 'malformed' }
  /** JSON whose label is not in the codebook and stance out of range. */
  | { kind: 'schema_break' }
  | { kind: 'refusal' }
  /** A valid answer whose evidence quote is not in the text. */
  | { kind: 'bad_quote' }
  | { kind: 'finish'; reason: 'length' | 'content_filter' }
  /** 400 "response_format json_schema is not supported", like servers without structured output (JSON mode still works). */
  | { kind: 'no_json_schema' };

/** What a script sees about a request. */
export interface RequestContext {
  /** 0-based order of arrival over the server's life. */
  index: number;
  /** The item text found between the prompt's data markers ('' if none). */
  text: string;
  /** How many earlier requests carried the same text (0 for the first, 1 for a retry or repair ...). */
  attempt: number;
  /** `json_schema`, `json_object` or `text`. */
  responseFormat: string;
  body: { model?: string; messages?: { role: string; content: string | null }[]; response_format?: { type: string; json_schema?: { schema?: unknown } } };
}

export interface TestServerOptions {
  /** ms added to every request. */
  latencyMs?: number;
  script?: (ctx: RequestContext) => Behaviour;
  port?: number;
  /** The Batch API side (files and batches endpoints); its lines are answered by the chat script too. */
  batches?: TestBatchOptions;
  /** Model ids GET /v1/models lists (default: test-model). */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Enforce a rate limit (429 beyond it) and state it in x-ratelimit-* headers. */
  rateLimit?: RateLimitOptions;
}

export interface TestServer {
  /** Base URL for OPENAI_BASE_URL, ending in /v1. */
  url: string;
  /** Every chat-completion request received, in order. */
  readonly requests: { text: string; attempt: number; behaviour: Behaviour['kind']; responseFormat: string; messages: { role: string; content: string | null }[] }[];
  /** Requests received per item text. */
  countFor(text: string): number;
  /** Chat-completion requests in flight at most at any moment, and how many the rate limit refused with 429. */
  readonly load: { maxInFlight: number; rateLimited: number };
  /** Authorization headers received (to check which key a client sent). */
  readonly authorizations: string[];
  setScript(script: TestServerOptions['script']): void;
  /** Files and batches received through the Batch API endpoints. */
  readonly batches: TestBatches;
  close(): Promise<void>;
}

const DATA_RE = /<<<(PASSAGE|ARTICLE) ([0-9a-f]+)\n([\s\S]*?)\n\1 \2>>>/;

function enumsFrom(ctx: RequestContext): { labels: string[]; themes: string[]; stanceMin: number; stanceMax: number } {
  let schema: unknown = ctx.body.response_format?.json_schema?.schema;
  if (!schema) {
    const system = ctx.body.messages?.find((m) => m.role === 'system')?.content ?? '';
    const at = system.indexOf('JSON schema:\n');
    if (at >= 0) {
      try {
        schema = JSON.parse(system.slice(at + 'JSON schema:\n'.length));
      } catch {
        schema = undefined;
      }
    }
  }
  const props = (schema as { properties?: Record<string, { enum?: string[]; items?: { enum?: string[] }; minimum?: number; maximum?: number }> } | undefined)?.properties ?? {};
  return {
    labels: props.label?.enum ?? ['unknown'],
    themes: props.themes?.items?.enum ?? [],
    stanceMin: props.stance?.minimum ?? 0,
    stanceMax: props.stance?.maximum ?? 0,
  };
}

/** A plausible, deterministic answer for the text: label and themes picked by its hash, its first sentence as evidence. */
function validAnswer(ctx: RequestContext): Record<string, unknown> {
  const { labels, themes, stanceMin, stanceMax } = enumsFrom(ctx);
  const h = createHash('sha256').update(ctx.text).digest();
  const firstSentence = /^[^.!?\n]{1,160}[.!?]?/.exec(ctx.text.trim())?.[0] ?? ctx.text.slice(0, 40);
  return {
    label: labels[h[0]! % labels.length],
    stance: stanceMin + (h[1]! % (stanceMax - stanceMin + 1)),
    themes: themes.length > 0 ? [themes[h[2]! % themes.length]] : [],
    confidence: 0.5 + (h[3]! % 50) / 100,
    rationale: 'Scripted answer from the test server.',
    evidence: [firstSentence.trim()],
    substantive: true,
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

/** Starts the test server on 127.0.0.1 (a free port unless one is given). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let script = options.script ?? (() => ({ kind: 'answer' }) as Behaviour);
  const requests: TestServer['requests'] = [];
  const perText = new Map<string, number>();
  let counter = 0;
  let baseUrl = '';
  const batches = createTestBatches(() => baseUrl, send, options.batches);
  const load = { maxInFlight: 0, rateLimited: 0 };
  let inFlight = 0;
  const authorizations: string[] = [];
  const limiter = options.rateLimit ? fixedWindowLimiter(options.rateLimit) : null;

  const completion = (ctx: RequestContext, message: { content: string | null; refusal: string | null }, finish: string) => {
    const promptChars = (ctx.body.messages ?? []).reduce((n, m) => n + (m.content?.length ?? 0), 0);
    const prompt_tokens = Math.ceil(promptChars / 4);
    const completion_tokens = Math.ceil((message.content ?? message.refusal ?? '').length / 4);
    return {
      id: `chatcmpl-test${ctx.index}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: ctx.body.model ?? 'test-model',
      system_fingerprint: 'fp_framescope_test',
      choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: finish }],
      usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    authorizations.push(req.headers.authorization ?? '');
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (await batches.handle(req, res, Buffer.concat(chunks))) return;
    if (req.method === 'GET' && /\/models(\?|$)/.test(req.url ?? '')) {
      return send(res, 200, { object: 'list', data: (options.models ?? ['test-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'framescope-test' })) });
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    let body: RequestContext['body'];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
    }
    const user = body.messages?.find((m) => m.role === 'user')?.content ?? '';
    const text = DATA_RE.exec(user)?.[3] ?? '';
    const attempt = perText.get(text) ?? 0;
    perText.set(text, attempt + 1);
    const ctx: RequestContext = { index: counter++, text, attempt, responseFormat: body.response_format?.type ?? 'text', body };
    const limited = limiter?.admit(Math.ceil((body.messages ?? []).reduce((n, m) => n + (m.content?.length ?? 0), 0) / 4));
    if (limited && !limited.allowed) {
      load.rateLimited++;
      requests.push({ text, attempt, behaviour: 'rate_limit', responseFormat: ctx.responseFormat, messages: body.messages ?? [] });
      return send(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, { 'x-request-id': `req_test_${ctx.index}`, ...limited.headers });
    }
    inFlight++;
    load.maxInFlight = Math.max(load.maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    const behaviour = script(ctx);
    requests.push({ text, attempt, behaviour: behaviour.kind, responseFormat: ctx.responseFormat, messages: body.messages ?? [] });
    const delay = (options.latencyMs ?? 0) + (behaviour.kind === 'answer' ? (behaviour.delayMs ?? 0) : 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const headers = { 'x-request-id': `req_test_${ctx.index}`, ...limited?.headers };
    const answer = (content: string, finish = 'stop') => send(res, 200, completion(ctx, { content, refusal: null }, finish), headers);

    switch (behaviour.kind) {
      case 'answer':
        return answer(JSON.stringify({ ...validAnswer(ctx), ...behaviour.answer }));
      case 'rate_limit':
        return send(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, { ...headers, 'retry-after': String(behaviour.retryAfterS) });
      case 'server_error':
        return send(res, behaviour.status ?? 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } }, headers);
      case 'drop':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'malformed':
        return answer('{"label": "oops", this is not JSON');
      case 'schema_break':
        return answer(JSON.stringify({ ...validAnswer(ctx), label: 'not-a-label', stance: 99 }));
      case 'refusal':
        return send(res, 200, completion(ctx, { content: null, refusal: "I'm sorry, I can't help with that." }, 'stop'), headers);
      case 'bad_quote':
        return answer(JSON.stringify({ ...validAnswer(ctx), evidence: ['a sentence that appears nowhere in the passage'] }));
      case 'finish':
        return behaviour.reason === 'length' ? answer('{"label": "', 'length') : answer('', 'content_filter');
      case 'no_json_schema':
        if (ctx.responseFormat === 'json_schema') {
          return send(res, 400, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: 'invalid_request_error', param: 'response_format', code: null } }, headers);
        }
        return answer(JSON.stringify(validAnswer(ctx)));
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { message: String(err), type: 'server_error' } }));
  });
  server.keepAliveTimeout = 30_000; // 30 s: benches reuse connections
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/v1`;
  return {
    url: baseUrl,
    requests,
    batches,
    countFor: (text) => perText.get(text) ?? 0,
    load,
    authorizations,
    setScript: (s) => {
      script = s ?? (() => ({ kind: 'answer' }));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Run by hand to tag against it: `npx tsx api/providers/testing/server.ts [port] [latencyMs]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startTestServer({ port: Number(process.argv[2] ?? 8787), latencyMs: Number(process.argv[3] ?? 0) });
  process.stdout.write(`test server (not a model) at ${server.url}\n`);
}
