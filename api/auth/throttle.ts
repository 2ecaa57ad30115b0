import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from '../errors.ts';

/** Login attempts allowed per name, from any address, in LOGIN_WINDOW_S. */
export const LOGIN_ATTEMPTS_PER_NAME = 10;
/** Login attempts allowed per client address, for any names, in LOGIN_WINDOW_S. */
export const LOGIN_ATTEMPTS_PER_ADDRESS = 30;
export const LOGIN_WINDOW_S = 15 * 60; // 15 min

/** Where a request comes from: the socket's peer address (a proxy's own header is not trusted). */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

async function nameOf(c: Context): Promise<string | null> {
  try {
    const body = (await c.req.json()) as { name?: unknown };
    return typeof body.name === 'string' ? body.name.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Rate-limits `POST /api/auth/login` per name and per client address (rate-limiter-flexible,
 * in memory: a restart forgets the counts). Every attempt takes a point from both before any
 * password is hashed, so a burst is refused with 429 and `Retry-After` without costing scrypt
 * work; a successful login gives its points back. Counting attempts rather than failures means
 * 40 parallel guesses cannot all slip through before the first failure is recorded.
 */
export function loginThrottle(): MiddlewareHandler {
  const byName = new RateLimiterMemory({ keyPrefix: 'login-name', points: LOGIN_ATTEMPTS_PER_NAME, duration: LOGIN_WINDOW_S });
  const byAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: LOGIN_ATTEMPTS_PER_ADDRESS, duration: LOGIN_WINDOW_S });
  return async (c, next) => {
    const name = await nameOf(c);
    const address = clientAddress(c);
    try {
      await byAddress.consume(address);
      if (name !== null) await byName.consume(name);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw tooManyRequests(`too many login attempts; try again in ${Math.ceil(err.msBeforeNext / 1000)} s`, err.msBeforeNext / 1000);
    }
    await next();
    if (c.res.status === 200) {
      await byAddress.reward(address);
      if (name !== null) await byName.delete(name);
    }
  };
}
