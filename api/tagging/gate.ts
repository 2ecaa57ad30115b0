import type { RateLimitProgress } from '../../db/schema/index.ts';
import type { RateLimitInfo } from '../providers/types.ts';
import type { GateOutcome, RequestGate } from './suggest.ts';

/** A window of the server's limit as last stated: requests we may still start before it resets. */
interface Window {
  /** Requests (or, for tokens, requests' worth of tokens) left to start in this window. */
  allowance: number;
  /** ms since the epoch when the server said the window resets. */
  resetAt: number;
  /** An answer from this window stated it (a window assumed after a reset is not, until one does). */
  confirmed: boolean;
}

/** What a run shows of the limit it runs against (the run page, the job's progress). */
export type GateState = RateLimitProgress;

/**
 * Admission for a run's requests, in one place: at most `limit` in flight, adapted to what the
 * server states.
 * - Until the first answer only one request goes out, so a run never opens with a burst the
 *   server has not agreed to (its headers say what it allows).
 * - x-ratelimit-remaining-requests / -tokens and their reset times: requests that would
 *   exceed what is left in the window wait for the reset instead of drawing a 429 (requests
 *   already in flight count against what is left; tokens are counted per request by the
 *   average so far).
 * - A 429 (a server that states nothing, or a limit shared with others) halves the limit and
 *   pauses everyone until its retry-after; each run of `limit` successes raises it by one.
 */
export class AdaptiveGate implements RequestGate {
  limit = 1;
  private inFlight = 0;
  private pausedUntil = 0;
  private successes = 0;
  private answered = false;
  private waiters: (() => void)[] = [];
  private requests: Window | null = null;
  private tokens: Window | null = null;
  private stated: RateLimitInfo = {};
  private tokensSeen = 0;
  private answers = 0;
  /** How many times a 429 lowered the limit. */
  throttles = 0;

  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The longest reset the server stated (ms): how long a fresh window is assumed to last until an answer says. */
  private windowMs = 0;

  /**
   * A window past its reset starts again with the stated limit less the requests in flight, so
   * waiters released by a reset cannot all go at once. A window that was only assumed (no answer from it yet) does not roll
   * while its requests are in flight: they may have been counted later than sent, and their
   * answers will say where the server's window really is. Returns false when that is the case.
   */
  private roll(t: number): boolean {
    const perRequest = this.answers > 0 ? this.tokensSeen / this.answers : null;
    const fresh = (w: Window | null, limit: number | undefined): Window | null | 'wait' => {
      if (!w || w.resetAt > t || limit === undefined) return w;
      if (!w.confirmed && this.inFlight > 0) return 'wait';
      // Requests still in flight may be counted in the new window (sent before, counted after the reset).
      return { allowance: limit - this.inFlight, resetAt: t + this.windowMs, confirmed: false };
    };
    const requests = fresh(this.requests, this.stated.limitRequests);
    const tokens = fresh(this.tokens, this.stated.limitTokens !== undefined && perRequest ? Math.floor(this.stated.limitTokens / perRequest) : undefined);
    if (requests === 'wait' || tokens === 'wait') return false;
    this.requests = requests;
    this.tokens = tokens;
    return true;
  }

  /** ms to wait before another request may start (0: now), or null to wait for an answer. */
  private waitMs(): number | null {
    const t = this.now();
    if (!this.roll(t)) return null;
    let until = this.pausedUntil;
    for (const w of [this.requests, this.tokens]) if (w && w.resetAt > t && w.allowance <= 0) until = Math.max(until, w.resetAt);
    return Math.max(0, until - t);
  }

  async acquire(signal?: AbortSignal) {
    for (;;) {
      if (signal?.aborted) break;
      const wait = this.waitMs();
      if (wait !== null && wait > 0) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (wait === 0 && this.inFlight < (this.answered ? this.limit : 1)) break;
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
    for (const w of [this.requests, this.tokens]) if (w) w.allowance--;
    let released = false;
    return (outcome: GateOutcome) => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.learn(outcome);
      this.wakeUp();
    };
  }

  private learn(outcome: GateOutcome) {
    if (!this.answered) {
      this.answered = true;
      this.limit = this.max;
    }
    if (outcome.tokens) {
      this.tokensSeen += outcome.tokens;
      this.answers++;
    }
    if (outcome.rateLimit) this.observe(outcome.rateLimit);
    if (!outcome.ok && outcome.errorKind === 'rate_limited') {
      this.throttles++;
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.successes = 0;
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + (outcome.retryAfterMs ?? 1000));
    } else if (outcome.ok && this.limit < this.max && ++this.successes >= this.limit) {
      this.limit++;
      this.successes = 0;
    }
  }

  /**
   * Takes in what one answer stated. Answers arrive out of order and late: one whose window
   * ends well before the current one's is from an older window and says nothing about now; of
   * answers from the same window, the one leaving least wins.
   */
  private observe(info: RateLimitInfo) {
    const t = this.now();
    this.stated = { ...this.stated, ...info };
    const perRequest = this.answers > 0 ? this.tokensSeen / this.answers : null;
    const merge = (current: Window | null, remaining: number | undefined, resetMs: number | undefined): Window | null => {
      if (remaining === undefined || resetMs === undefined) return current;
      this.windowMs = Math.max(this.windowMs, resetMs);
      const next = { allowance: remaining - this.inFlight, resetAt: t + resetMs, confirmed: true };
      const slack = this.windowMs / 2;
      if (!current || current.resetAt <= t || next.resetAt > current.resetAt + slack) return next;
      if (next.resetAt < current.resetAt - slack) return current;
      return { allowance: Math.min(current.allowance, next.allowance), resetAt: Math.max(current.resetAt, next.resetAt), confirmed: true };
    };
    this.requests = merge(this.requests, info.remainingRequests, info.resetRequestsMs);
    if (perRequest) this.tokens = merge(this.tokens, info.remainingTokens === undefined ? undefined : Math.floor(info.remainingTokens / perRequest), info.resetTokensMs);
  }

  private wakeUp() {
    const ready = this.waiters.splice(0, Math.max(0, this.limit - this.inFlight));
    for (const w of ready) w();
    // Waiters beyond the free slots re-check when the next request ends.
  }

  /** The limit this run works against now. */
  state(): GateState {
    const t = this.now();
    const binding = [this.requests, this.tokens].filter((w): w is Window => w !== null && w.resetAt > t).sort((a, b) => a.allowance - b.allowance)[0];
    return {
      concurrency: this.answered ? this.limit : 1,
      maxConcurrency: this.max,
      limitRequests: this.stated.limitRequests ?? null,
      limitTokens: this.stated.limitTokens ?? null,
      remainingRequests: this.stated.remainingRequests ?? null,
      remainingTokens: this.stated.remainingTokens ?? null,
      resetInMs: binding ? binding.resetAt - t : null,
      rateLimited: this.throttles,
    };
  }
}
