import type { ProviderErrorKind } from '../providers/types.ts';
import type { RequestGate } from './suggest.ts';

/**
 * Adaptive admission for a run's requests (additive increase, multiplicative decrease): at
 * most `limit` requests in flight; a 429 halves the limit and pauses everyone until the
 * server's retry-after has passed; each run of `limit` successes raises it by one, up to the
 * configured concurrency.
 */
export class AdaptiveGate implements RequestGate {
  limit: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private successes = 0;
  private waiters: (() => void)[] = [];
  /** How many times a 429 lowered the limit. */
  throttles = 0;

  constructor(readonly max: number) {
    this.limit = max;
  }

  async acquire(signal?: AbortSignal) {
    for (;;) {
      if (signal?.aborted) break;
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (this.inFlight < this.limit) break;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    this.inFlight++;
    let released = false;
    return (outcome: { ok: true } | { ok: false; errorKind: ProviderErrorKind; retryAfterMs?: number }) => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (!outcome.ok && outcome.errorKind === 'rate_limited') {
        this.throttles++;
        this.limit = Math.max(1, Math.floor(this.limit / 2));
        this.successes = 0;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + (outcome.retryAfterMs ?? 1000));
      } else if (outcome.ok && this.limit < this.max && ++this.successes >= this.limit) {
        this.limit++;
        this.successes = 0;
      }
      this.wakeUp();
    };
  }

  private wakeUp() {
    const ready = this.waiters.splice(0, Math.max(0, this.limit - this.inFlight));
    for (const w of ready) w();
    // Waiters beyond the free slots re-check when the next request ends.
  }
}
