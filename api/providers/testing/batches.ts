import type { IncomingMessage, ServerResponse } from 'node:http';
import pLimit from 'p-limit';

/**
 * The files and batches endpoints of the scripted TEST server, as the `openai` SDK calls them:
 * POST /v1/files (multipart, purpose batch), GET /v1/files/{id}/content, POST /v1/batches,
 * GET /v1/batches (list), GET /v1/batches/{id}, POST /v1/batches/{id}/cancel. Each line of a
 * batch is answered by the server's own /v1/chat/completions (so the chat script, its faults
 * included, decides every answer); a batch script adds the batch-level faults.
 */

/** What happens to one batch as a whole. */
export type BatchBehaviour =
  /** Completes at its first retrieval after its lines were answered. */
  | { kind: 'complete' }
  /** Stays in_progress for `polls` retrievals, then completes. */
  | { kind: 'slow'; polls: number }
  /** Answers its first `answered` lines, then expires: those in the output file, the rest in the error file. */
  | { kind: 'expire'; answered: number }
  /** Refused as a whole (status failed, with the reason in errors). */
  | { kind: 'fail'; message: string };

export interface TestBatchOptions {
  /** Decides each batch's fate by its 0-based order of creation and its number of requests. */
  script?: (ctx: { index: number; requests: number }) => BatchBehaviour;
  /** The limits the server enforces, like the real API's (50,000 requests, 200 MB per batch). */
  maxRequests?: number;
  maxBytes?: number;
}

/** One batch as the server holds it. */
export interface TestBatch {
  id: string;
  inputFileId: string;
  customIds: string[];
  metadata: Record<string, string>;
  behaviour: BatchBehaviour;
  status: string;
  polls: number;
}

/** The batch side of the test server, for tests to inspect and steer. */
export interface TestBatches {
  /** Every batch created, in order. */
  readonly created: readonly TestBatch[];
  /** Every file uploaded, in order (id, name, bytes). */
  readonly files: readonly { id: string; filename: string; bytes: number }[];
  /** While held, no batch leaves in_progress (a kill can land while the batch is submitted). */
  hold(): void;
  release(): void;
  setScript(script: TestBatchOptions['script']): void;
  /** Answers the request if it is a files or batches route; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean>;
}

interface LineResult {
  customId: string;
  status: number;
  body: unknown;
  requestId: string | null;
  error: string | null;
}

/** A batch with what the server keeps beside what tests see. */
interface HeldBatch extends TestBatch {
  answered: Promise<LineResult[]>;
  outputFileId: string | null;
  errorFileId: string | null;
  errors: unknown;
  createdAt: number;
  counts: { total: number; completed: number; failed: number };
}

type Send = (res: ServerResponse, status: number, body: unknown) => void;

/** Lines of a batch answered at once through the chat endpoint. */
const LINE_CONCURRENCY = 16;
const LINE_TIMEOUT_MS = 5_000; // 5 s: a `hang` line ends as an error line

/** The batch endpoints over the chat endpoint at `chatUrl()` (the same server's /v1/chat/completions). */
export function createTestBatches(chatUrl: () => string, send: Send, options: TestBatchOptions = {}): TestBatches {
  let script = options.script ?? (() => ({ kind: 'complete' }) as BatchBehaviour);
  const maxRequests = options.maxRequests ?? 50_000;
  const maxBytes = options.maxBytes ?? 200 * 1024 * 1024;
  const files = new Map<string, { id: string; filename: string; bytes: number; purpose: string; content: string; createdAt: number }>();
  const batches = new Map<string, HeldBatch>();
  const created: TestBatch[] = [];
  let held = false;
  let nextId = 0;
  const limit = pLimit(LINE_CONCURRENCY);

  const addFile = (filename: string, purpose: string, content: string) => {
    const file = { id: `file-test${++nextId}`, filename, purpose, bytes: Buffer.byteLength(content), content, createdAt: Math.floor(Date.now() / 1000) };
    files.set(file.id, file);
    return file;
  };
  const fileView = (f: { id: string; filename: string; bytes: number; purpose: string; createdAt: number }) => ({ id: f.id, object: 'file', bytes: f.bytes, created_at: f.createdAt, filename: f.filename, purpose: f.purpose, status: 'processed' });

  const answerLine = async (line: { custom_id: string; body: unknown }): Promise<LineResult> => {
    try {
      const res = await fetch(`${chatUrl()}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(line.body), signal: AbortSignal.timeout(LINE_TIMEOUT_MS) });
      return { customId: line.custom_id, status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id'), error: null };
    } catch (err) {
      return { customId: line.custom_id, status: 0, body: null, requestId: null, error: (err as Error).message };
    }
  };

  /** Writes the output and error files from the lines answered, as the real API lays them out. */
  const finalize = (b: HeldBatch, results: LineResult[], status: string) => {
    const answered = new Set(results.map((r) => r.customId));
    const ok = results.filter((r) => r.status === 200);
    const bad = results.filter((r) => r.status !== 200);
    const out = (r: LineResult) =>
      JSON.stringify(
        r.error === null
          ? { id: `batch_req_${r.customId}`, custom_id: r.customId, response: { status_code: r.status, request_id: r.requestId, body: r.body }, error: null }
          : { id: `batch_req_${r.customId}`, custom_id: r.customId, response: null, error: { code: 'server_error', message: r.error } },
      );
    const expired = b.customIds.filter((id) => !answered.has(id)).map((id) => JSON.stringify({ id: `batch_req_${id}`, custom_id: id, response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } }));
    const errorLines = [...bad.map(out), ...expired];
    b.outputFileId = ok.length > 0 ? addFile(`${b.id}_output.jsonl`, 'batch_output', ok.map(out).join('\n') + '\n').id : null;
    b.errorFileId = errorLines.length > 0 ? addFile(`${b.id}_error.jsonl`, 'batch_output', errorLines.join('\n') + '\n').id : null;
    b.counts = { total: b.customIds.length, completed: ok.length, failed: bad.length + expired.length };
    b.status = status;
  };

  const view = (b: HeldBatch) => ({
    id: b.id,
    object: 'batch',
    endpoint: '/v1/chat/completions',
    errors: b.errors,
    input_file_id: b.inputFileId,
    completion_window: '24h',
    status: b.status,
    output_file_id: b.outputFileId,
    error_file_id: b.errorFileId,
    created_at: b.createdAt,
    expires_at: b.createdAt + 86_400,
    request_counts: b.counts,
    metadata: b.metadata,
  });

  async function retrieve(b: HeldBatch) {
    if (b.status === 'in_progress' || b.status === 'cancelling') {
      b.polls++;
      const results = await b.answered;
      if (b.status === 'cancelling') finalize(b, results, 'cancelled');
      else if (held) b.counts = { ...b.counts, completed: Math.floor(results.length / 2) };
      else if (b.behaviour.kind === 'expire') finalize(b, results.slice(0, b.behaviour.answered), 'expired');
      else if (b.behaviour.kind !== 'slow' || b.polls > b.behaviour.polls) finalize(b, results, 'completed');
    }
    return view(b);
  }

  function createBatch(body: { input_file_id?: string; endpoint?: string; completion_window?: string; metadata?: Record<string, string> }) {
    const file = files.get(body.input_file_id ?? '');
    if (!file) return { status: 404, body: { error: { message: `No such File object: ${body.input_file_id}`, type: 'invalid_request_error' } } };
    if (body.endpoint !== '/v1/chat/completions' || body.completion_window !== '24h') return { status: 400, body: { error: { message: 'endpoint must be /v1/chat/completions and completion_window 24h', type: 'invalid_request_error' } } };
    const lines = file.content.split('\n').filter((l) => l.trim() !== '');
    const parsed: { custom_id: string; body: unknown }[] = [];
    const problems: { code: string; message: string; line: number | null }[] = [];
    const seen = new Set<string>();
    lines.forEach((l, i) => {
      try {
        const p = JSON.parse(l) as { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
        if (typeof p.custom_id !== 'string' || seen.has(p.custom_id)) problems.push({ code: 'duplicate_custom_id', message: 'custom_id must be a unique string', line: i + 1 });
        else if (p.method !== 'POST' || p.url !== '/v1/chat/completions') problems.push({ code: 'invalid_url', message: 'method must be POST and url /v1/chat/completions', line: i + 1 });
        else {
          seen.add(p.custom_id);
          parsed.push({ custom_id: p.custom_id, body: p.body });
        }
      } catch {
        problems.push({ code: 'invalid_json_line', message: 'line is not JSON', line: i + 1 });
      }
    });
    if (lines.length > maxRequests) problems.push({ code: 'too_many_requests', message: `a batch holds at most ${maxRequests} requests, this file has ${lines.length}`, line: null });
    if (file.bytes > maxBytes) problems.push({ code: 'file_too_large', message: `a batch file holds at most ${maxBytes} bytes, this one has ${file.bytes}`, line: null });
    const behaviour: BatchBehaviour = problems.length > 0 ? { kind: 'fail', message: problems[0]!.message } : script({ index: created.length, requests: parsed.length });
    if (behaviour.kind === 'fail' && problems.length === 0) problems.push({ code: 'failed', message: behaviour.message, line: null });
    const b: HeldBatch = {
      id: `batch_test${++nextId}`,
      inputFileId: file.id,
      customIds: parsed.map((p) => p.custom_id),
      metadata: body.metadata ?? {},
      behaviour,
      status: behaviour.kind === 'fail' ? 'failed' : 'in_progress',
      polls: 0,
      answered: behaviour.kind === 'fail' ? Promise.resolve([]) : Promise.all(parsed.map((p) => limit(() => answerLine(p)))),
      outputFileId: null,
      errorFileId: null,
      errors: problems.length > 0 ? { object: 'list', data: problems.map((p) => ({ ...p, param: null })) } : null,
      createdAt: Math.floor(Date.now() / 1000),
      counts: { total: parsed.length, completed: 0, failed: 0 },
    };
    batches.set(b.id, b);
    created.push(b);
    return { status: 200, body: view(b) };
  }

  const notFound = (res: ServerResponse, what: string) => send(res, 404, { error: { message: `No such ${what}`, type: 'invalid_request_error' } });

  return {
    created,
    get files() {
      return [...files.values()].filter((f) => f.purpose === 'batch').map((f) => ({ id: f.id, filename: f.filename, bytes: f.bytes }));
    },
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
    },
    setScript: (s) => {
      script = s ?? (() => ({ kind: 'complete' }));
    },
    async handle(req, res, body) {
      const url = new URL(req.url ?? '/', 'http://test');
      const path = url.pathname.replace(/^\/v1/, '');
      if (req.method === 'POST' && path === '/files') {
        const form = await new Request('http://test/files', { method: 'POST', headers: req.headers as Record<string, string>, body: new Uint8Array(body) }).formData();
        const file = form.get('file');
        if (!(file instanceof Blob)) return send(res, 400, { error: { message: 'missing file', type: 'invalid_request_error' } }), true;
        const name = file instanceof File ? file.name : 'upload.jsonl';
        send(res, 200, fileView(addFile(name, String(form.get('purpose') ?? ''), await file.text())));
        return true;
      }
      const content = /^\/files\/([^/]+)\/content$/.exec(path);
      if (req.method === 'GET' && content) {
        const f = files.get(content[1]!);
        if (!f) return notFound(res, `File object: ${content[1]}`), true;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(f.content) });
        res.end(f.content);
        return true;
      }
      if (req.method === 'POST' && path === '/batches') {
        const answer = createBatch(JSON.parse(body.toString('utf8')));
        send(res, answer.status, answer.body);
        return true;
      }
      if (req.method === 'GET' && path === '/batches') {
        const all = [...batches.values()].reverse();
        const after = url.searchParams.get('after');
        const from = after ? all.findIndex((b) => b.id === after) + 1 : 0;
        const page = all.slice(from, from + Number(url.searchParams.get('limit') ?? 20));
        send(res, 200, { object: 'list', data: page.map(view), first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: from + page.length < all.length });
        return true;
      }
      const one = /^\/batches\/([^/]+)(\/cancel)?$/.exec(path);
      if (one) {
        const b = batches.get(one[1]!);
        if (!b) return notFound(res, `batch: ${one[1]}`), true;
        if (req.method === 'POST' && one[2] && b.status === 'in_progress') b.status = 'cancelling';
        send(res, 200, req.method === 'GET' || one[2] ? await retrieve(b) : view(b));
        return true;
      }
      return false;
    },
  };
}
