import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error type services throw for expected failures. Routes turn it into
 * `{ error: { code, message } }` with `status`; the CLI prints `message` on one line.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After` on a 429 or 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'bad_request', details?: unknown) => new AppError(400, code, message, details);
export const notFound = (message: string, code = 'not_found') => new AppError(404, code, message);
export const conflict = (message: string, code = 'conflict', details?: unknown) => new AppError(409, code, message, details);
export const unauthorized = (message = 'login required', code = 'unauthorized') => new AppError(401, code, message);
export const forbidden = (message: string, code = 'forbidden') => new AppError(403, code, message);
export const tooManyRequests = (message: string, retryAfterS: number, code = 'rate_limited') =>
  new AppError(429, code, message, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) });
export const serviceUnavailable = (message: string, code = 'unavailable', retryAfterS?: number) =>
  new AppError(503, code, message, undefined, retryAfterS === undefined ? undefined : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) });
