import type { MiddlewareHandler } from 'hono';
import { isLoopback } from '../config.ts';
import { AppError } from '../errors.ts';

/** A host name that only ever resolves to this machine: localhost (and its subdomains, RFC 6761) or a loopback address. */
export function isLoopbackHostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || isLoopback(name);
}

/**
 * On loopback, answers only requests addressed to a loopback host name. A DNS-rebinding page
 * (evil.example re-pointed at 127.0.0.1) reaches the port but still sends `Host: evil.example`,
 * and its Origin matches that host, so the same-origin check alone would let it drive the
 * server; refusing the Host closes that door for every route, static files included.
 */
export function loopbackHostGuard(): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('host') ?? new URL(c.req.url).host;
    let hostname: string | null;
    try {
      hostname = new URL(`http://${header}`).hostname;
    } catch {
      hostname = null;
    }
    if (hostname === null || !isLoopbackHostName(hostname)) {
      throw new AppError('bad_host', `this server answers only to localhost, 127.0.0.1 and [::1], not to "${header.slice(0, 100)}" (it listens on loopback)`);
    }
    return next();
  };
}
