import type { RateLimitInfo } from './types.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * ms in a reset value: OpenAI's durations (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) or a plain number
 * of seconds; undefined for anything else.
 */
export function resetMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v) return undefined;
  return Math.ceil(parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0));
}

function count(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The rate-limit headers of a response, or undefined when it carries none. */
export function rateLimitOf(headers: Headers | undefined): RateLimitInfo | undefined {
  if (!headers) return undefined;
  const info: RateLimitInfo = {
    limitRequests: count(headers.get('x-ratelimit-limit-requests')),
    limitTokens: count(headers.get('x-ratelimit-limit-tokens')),
    remainingRequests: count(headers.get('x-ratelimit-remaining-requests')),
    remainingTokens: count(headers.get('x-ratelimit-remaining-tokens')),
    resetRequestsMs: resetMs(headers.get('x-ratelimit-reset-requests')),
    resetTokensMs: resetMs(headers.get('x-ratelimit-reset-tokens')),
  };
  const present = Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as RateLimitInfo;
  return Object.keys(present).length > 0 ? present : undefined;
}
