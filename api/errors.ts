import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/**
 * Every error code the API and CLI answer with, and the HTTP status it carries: the one table
 * a client can rely on. `http_error` is the framework's own refusal (malformed JSON, an
 * unsupported media type); it keeps the status the framework gave it.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_input: 400,
  http_error: 400,
  bad_manifest: 400,
  blind: 400,
  cannot_undo_undo: 400,
  codebook_required: 400,
  codebook_version_exists: 400,
  db_required: 400,
  empty_selection: 400,
  gold_document_missing: 400,
  gold_not_found: 400,
  gold_text_mismatch: 400,
  invalid_codebook: 400,
  invalid_cursor: 400,
  invalid_gold: 400,
  invalid_name: 400,
  invalid_options: 400,
  invalid_prompt: 400,
  invalid_protocol: 400,
  invalid_recording: 400,
  invalid_result: 400,
  invalid_run_request: 400,
  invalid_stance: 400,
  invalid_suggestion: 400,
  invalid_threshold: 400,
  invalid_version: 400,
  label_required: 400,
  reason_required: 400,
  login_required: 400,
  no_files: 400,
  no_gold: 400,
  not_a_passage: 400,
  provider_not_configured: 400,
  replay_mismatch: 400,
  suggestion_required: 400,
  unknown_codebook: 400,
  unknown_label: 400,
  unknown_model: 400,
  unknown_profile: 400,
  unknown_price: 400,
  batch_unsupported: 400,
  unknown_prompt: 400,
  unknown_source: 400,
  unknown_theme: 400,
  weak_password: 400,
  too_deep: 400,
  too_many_ids: 400,
  bulk_too_large: 400,
  invalid_url: 400,
  not_a_file: 400,
  not_a_backup: 400,
  backup_corrupt: 400,
  backup_too_new: 400,
  wrong_prompt_level: 400,
  unauthorized: 401,
  bad_credentials: 401,
  no_reviewer: 401,
  forbidden: 403,
  cross_origin: 403,
  csrf: 403,
  admin_only: 403,
  no_role_rule: 403,
  not_found: 404,
  conflict: 409,
  already_undone: 409,
  adjudication_not_ready: 409,
  bulk_changed: 409,
  prompt_version_changed: 409,
  run_active: 409,
  job_active: 409,
  job_completed: 409,
  export_not_ready: 409,
  run_completed: 409,
  stale_suggestion: 409,
  stale_view: 409,
  user_exists: 409,
  idempotency_conflict: 409,
  backup_exists: 409,
  server_running: 409,
  database_in_use: 409,
  payload_too_large: 413,
  bad_host: 421,
  rate_limited: 429,
  login_busy: 429,
  internal: 500,
  backup_failed: 500,
  restore_failed: 500,
  unavailable: 503,
  read_only: 503,
  busy: 503,
  disk_full: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

/** The closed set of error codes: `{ error: { code } }` is always one of these. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every error code, for the OpenAPI error schema. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The codes that carry HTTP status `S`. */
export type CodeWithStatus<S extends ContentfulStatusCode> = { [C in ErrorCode]: (typeof ERROR_STATUS)[C] extends S ? C : never }[ErrorCode];

/**
 * The one error type services throw for expected failures. Routes turn it into
 * `{ error: { code, message } }` with the status of its code; the CLI prints `message` on one line.
 */
export class AppError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After` on a 429 or 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const badRequest = (message: string, code: CodeWithStatus<400> = 'bad_request', details?: unknown) => new AppError(code, message, details);
export const notFound = (message: string, code: CodeWithStatus<404> = 'not_found') => new AppError(code, message);
export const conflict = (message: string, code: CodeWithStatus<409> = 'conflict', details?: unknown) => new AppError(code, message, details);
export const unauthorized = (message = 'login required', code: CodeWithStatus<401> = 'unauthorized') => new AppError(code, message);
export const forbidden = (message: string, code: CodeWithStatus<403> = 'forbidden') => new AppError(code, message);
/** `Retry-After` in whole seconds, at least 1. */
const retryAfter = (seconds: number) => ({ 'Retry-After': String(Math.max(1, Math.ceil(seconds))) });
export const tooManyRequests = (message: string, retryAfterS: number, code: CodeWithStatus<429> = 'rate_limited') => new AppError(code, message, undefined, retryAfter(retryAfterS));
export const serviceUnavailable = (message: string, code: CodeWithStatus<503> = 'unavailable', retryAfterS?: number) =>
  new AppError(code, message, undefined, retryAfterS === undefined ? undefined : retryAfter(retryAfterS));

/**
 * The first problem zod found, as one line: `path: message`, with `root` standing in for an
 * empty path (nothing when there is no root, so a top-level problem reads as its message).
 * `path` renders the path differently where a file's own words are clearer (a manifest entry).
 */
export function zodIssueText(error: z.ZodError, opts: { root?: string; path?: (path: readonly PropertyKey[]) => string } = {}): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const where = issue.path.length > 0 ? (opts.path ?? ((p) => p.map(String).join('.')))(issue.path) : (opts.root ?? '');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
