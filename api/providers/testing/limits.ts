/**
 * A fixed-window rate limit for the scripted test server, as OpenAI states its limits: each
 * request counts against `requests` (and its prompt's tokens against `tokens`) per window; over
 * the limit the answer is a 429 with retry-after; every answer can carry x-ratelimit-* headers.
 */
export interface RateLimitOptions {
  /** Requests per window. */
  requests: number;
  /** Prompt tokens per window (chars / 4, as the server counts usage); unlimited when absent. */
  tokens?: number;
  /** ms */
  windowMs: number;
  /** Send the x-ratelimit-* headers (default true); without them a client learns only from 429s. */
  headers?: boolean;
}

export interface RateLimiter {
  /** Counts a request now: the headers to send, and whether it is over the limit. */
  admit(promptTokens: number): { allowed: boolean; headers: Record<string, string> };
}

/** ms as OpenAI writes a reset time (`1.234s`), rounded up so a client waiting that long finds the window reset. */
const duration = (ms: number) => `${(Math.ceil(Math.max(0, ms)) / 1000).toFixed(3)}s`;

export function fixedWindowLimiter(o: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  let windowStart = now();
  let requests = 0;
  let tokens = 0;
  return {
    admit(promptTokens) {
      const t = now();
      if (t - windowStart >= o.windowMs) {
        windowStart = t - ((t - windowStart) % o.windowMs);
        requests = 0;
        tokens = 0;
      }
      const reset = windowStart + o.windowMs - t;
      const allowed = requests < o.requests && (o.tokens === undefined || tokens + promptTokens <= o.tokens);
      if (allowed) {
        requests++;
        tokens += promptTokens;
      }
      const headers: Record<string, string> = { 'retry-after': String(Math.ceil(reset) / 1000) };
      if (o.headers !== false) {
        Object.assign(headers, {
          'x-ratelimit-limit-requests': String(o.requests),
          'x-ratelimit-remaining-requests': String(Math.max(0, o.requests - requests)),
          'x-ratelimit-reset-requests': duration(reset),
          ...(o.tokens === undefined
            ? {}
            : { 'x-ratelimit-limit-tokens': String(o.tokens), 'x-ratelimit-remaining-tokens': String(Math.max(0, o.tokens - tokens)), 'x-ratelimit-reset-tokens': duration(reset) }),
        });
      }
      if (allowed) delete headers['retry-after'];
      return { allowed, headers };
    },
  };
}
