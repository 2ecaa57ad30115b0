import { DetailedError, hc, parseResponse, type ClientResponse, type InferRequestType, type InferResponseType } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '../../../../api/app.ts';
import { ERROR_STATUS, type ErrorCode } from '../../../../api/errors.ts';

/**
 * The web client: `hc<AppType>`, so every path, query, body and response type comes from the
 * API's own routes and zod schemas. A renamed response field fails the type-check, not the page.
 */

/** An API failure, carrying the server's `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** What the server adds to recover (stale_view: the item's current state; bulk_changed: the count). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The CSRF token the server sets in a readable cookie when login is on; echoed on every request. */
function csrfHeader(): Record<string, string> {
  const match = /(?:^|;\s*)fs_csrf=([^;]+)/.exec(document.cookie);
  return match ? { 'x-csrf-token': decodeURIComponent(match[1]!) } : {};
}

/** The typed API under `/api`, e.g. `api.sources[':id'].$get({ param: { id: '3' } })`. */
export const api = hc<AppType>('/', { headers: csrfHeader }).api;

/** The body a call answers with on success. */
export type Ok<F> = InferResponseType<F, SuccessStatusCode>;
/** What a call takes: `param`, `query`, `json` or `form`. */
export type Input<F> = InferRequestType<F>;

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);

/** The server's error body, when the answer is one. */
function errorBody(data: unknown): { code: ErrorCode; message: string; details?: unknown } | null {
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const e = data.error;
  if (typeof e !== 'object' || e === null || !('code' in e) || !('message' in e)) return null;
  if (typeof e.code !== 'string' || !isErrorCode(e.code) || typeof e.message !== 'string') return null;
  return { code: e.code, message: e.message, details: 'details' in e ? e.details : undefined };
}

/** A refused call as one ApiError; a network failure stays what it is. */
function toApiError(err: unknown): unknown {
  if (!(err instanceof DetailedError)) return err;
  const status = typeof err.statusCode === 'number' ? err.statusCode : 0;
  const detail: unknown = err.detail;
  const data = typeof detail === 'object' && detail !== null && 'data' in detail ? detail.data : undefined;
  const body = errorBody(data);
  return body ? new ApiError(status, body.code, body.message, body.details) : new ApiError(status, 'http_error', err.message);
}

/**
 * Awaits a call: its success body, typed by the route; any other answer throws ApiError with the
 * server's code and message.
 */
export async function call<R extends ClientResponse<unknown>>(request: Promise<R>) {
  try {
    return await parseResponse(request);
  } catch (err) {
    throw toApiError(err);
  }
}
