import { afterEach, describe, expect, it } from 'vitest';
import { seedCorpus } from '../fixtures.ts';
import { resetMs, rateLimitOf } from '../providers/rateLimit.ts';
import { startTestServer, type TestServer } from '../providers/testing/server.ts';
import type { RateLimitOptions } from '../providers/testing/limits.ts';
import { testDeps } from '../testing.ts';
import { createRun, getRun, progressOf, jobOfRun } from './runs.ts';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Tags `n` passages at concurrency 16 against a server enforcing `rateLimit`; returns the run, the server's counts and the run's last stated limit. */
async function runAgainst(rateLimit: RateLimitOptions, n: number, concurrency = 16, latencyMs = 20) {
  server = await startTestServer({ latencyMs, rateLimit });
  const deps = testDeps({ env: { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'test-model' } });
  seedCorpus(deps.db, [{ name: 'Outlet A', documents: [{ title: 'Doc', passages: Array.from({ length: n }, (_, i) => ({ text: `Passage ${i}: the council met to discuss the customs union.` })) }] }]);
  const { run, job } = createRun(deps, { levels: ['passage'], concurrency, maxAttempts: 20, backoffBaseMs: 5, timeoutMs: 5_000 }, 'test');
  await deps.jobs.settled(job.id);
  const after = getRun(deps.db, run.id);
  return { run: after, load: { ...server.load }, progress: progressOf(after, jobOfRun(deps.jobs, run.id)) };
}

describe('rate limits as the server states them', () => {
  it('reads OpenAI-style reset durations and plain seconds', () => {
    expect([resetMs('1s'), resetMs('6m0s'), resetMs('20ms'), resetMs('1h2m3.5s'), resetMs('0.25'), resetMs('soon'), resetMs(null)]).toEqual([1000, 360_000, 20, 3_723_500, 250, undefined, undefined]);
    const headers = new Headers({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-remaining-tokens': '149984' });
    expect(rateLimitOf(headers)).toEqual({ limitRequests: 60, remainingRequests: 59, resetRequestsMs: 1000, remainingTokens: 149_984 });
    expect(rateLimitOf(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
  });

  it('keeps a run at 16 workers within a stated limit of 5 requests per 400 ms: no 429 storm, never more in flight than the window allows', async () => {
    const { run, load, progress } = await runAgainst({ requests: 5, windowMs: 400 }, 20);
    expect(run.status).toBe('completed');
    expect(run.itemsDone).toBe(20);
    expect(load.rateLimited, 'requests refused with 429').toBeLessThanOrEqual(1);
    expect(load.maxInFlight, 'requests in flight at once').toBeLessThanOrEqual(5);
    expect(progress.rateLimit).toMatchObject({ limitRequests: 5, maxConcurrency: 16 });
    expect(progress.rateLimit!.rateLimited).toBe(load.rateLimited);
  });

  it('uses the whole concurrency when the stated limit allows it (does not idle)', async () => {
    // Each answer takes 500 ms, long enough that a loaded box still has all 8 requests out at once.
    const { run, load, progress } = await runAgainst({ requests: 1_000, windowMs: 60_000, tokens: 1_000_000 }, 40, 8, 500);
    expect(run.itemsDone).toBe(40);
    expect(load.rateLimited).toBe(0);
    expect(load.maxInFlight).toBe(8);
    expect(progress.rateLimit).toMatchObject({ concurrency: 8, maxConcurrency: 8, limitRequests: 1_000, limitTokens: 1_000_000, rateLimited: 0 });
  });

  it('waits for the token window when the stated tokens run out before the requests do', async () => {
    // Each prompt carries the codebook, some 2,000 tokens: 5,000 tokens per window fit two requests, far fewer than the 50 allowed.
    const { run, load } = await runAgainst({ requests: 50, tokens: 5_000, windowMs: 250 }, 16);
    expect(run.itemsDone).toBe(16);
    expect(load.rateLimited).toBeLessThanOrEqual(1);
    expect(load.maxInFlight).toBeLessThanOrEqual(3);
  });
});
