import { afterEach, describe, expect, it } from 'vitest';
import { seedCorpus, type FixturePassage } from '../fixtures.ts';
import type { BatchBehaviour, TestBatchOptions } from '../providers/testing/batches.ts';
import { startTestServer, type Behaviour, type TestServer } from '../providers/testing/server.ts';
import { jobRunnerFor } from '../jobs/setup.ts';
import { testDeps } from '../testing.ts';
import { runBatches, updateBatch } from './batchStore.ts';
import { createRun, getRun, resumeRun, runFailures, type RunRequest } from './runs.ts';

type Deps = ReturnType<typeof testDeps>;

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const passages = (n: number, prefix = 'Passage'): FixturePassage[] => Array.from({ length: n }, (_, i) => ({ text: `${prefix} ${i}: the council met on Monday to discuss the customs union.` }));

/** Deps over a fresh database whose openai provider is the test server, batches split at `maxRequests`, polled every 5 ms. */
async function setup(texts: FixturePassage[], opts: { script?: (text: string, attempt: number) => Behaviour; batches?: TestBatchOptions; maxRequests?: number; maxBytes?: number; maxRounds?: number } = {}) {
  server ??= await startTestServer({ script: opts.script ? (ctx) => opts.script!(ctx.text, ctx.attempt) : undefined, batches: opts.batches });
  const deps = testDeps({
    env: { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'test-model', FRAMESCOPE_BATCH_POLL_MS: '5', FRAMESCOPE_BATCH_MAX_REQUESTS: String(opts.maxRequests ?? 50_000), FRAMESCOPE_BATCH_MAX_ROUNDS: String(opts.maxRounds ?? 3), FRAMESCOPE_BATCH_MAX_BYTES: String(opts.maxBytes ?? 200 * 1024 * 1024) },
  });
  const docs = seedCorpus(deps.db, [{ name: 'Outlet A', documents: [{ title: 'Doc', passages: texts }] }]);
  return { deps, docs, server };
}

async function tag(deps: Deps, request: RunRequest) {
  const { run, job } = createRun(deps, request, 'test');
  await deps.jobs.settled(job.id);
  return getRun(deps.db, run.id);
}

/** The stored answer of every item (by text), without provenance that differs between runs. */
function answers(deps: Deps) {
  const rows = deps.db.$client
    .prepare(
      `SELECT p.text, s.label, s.stance, s.themes, s.confidence, s.rationale, s.evidence, s.substantive, s.model, s.prompt_version AS "promptVersion", s.prompt_hash AS "promptHash", s.codebook_hash AS "codebookHash", s.cache_key AS "cacheKey", s.sample_index AS "sampleIndex"
       FROM suggestions s JOIN items i ON i.id = s.item_id JOIN passages p ON p.id = i.passage_id ORDER BY p.text, s.sample_index`,
    )
    .all();
  return rows;
}

const batch: RunRequest = { levels: ['passage'], batch: true };

describe('batch tagging runs through the Batch API of the scripted server', () => {
  it('splits a run into batches of at most the configured requests and stores the same suggestions an online run does, at half the price', async () => {
    const texts = passages(23);
    const online = await setup(texts);
    const onlineRun = await tag(online.deps, { levels: ['passage'], concurrency: 4 });
    expect(onlineRun.status).toBe('completed');

    const b = await setup(texts, { maxRequests: 10 });
    const run = await tag(b.deps, batch);
    expect(run).toMatchObject({ status: 'completed', itemsTotal: 23, itemsDone: 23, itemsFailed: 0 });
    expect(server!.batches.created.map((x) => x.customIds.length), 'three batches of at most 10 requests').toEqual([10, 10, 3]);
    const submitted = server!.batches.created.flatMap((x) => x.customIds);
    expect(new Set(submitted).size, 'no request submitted twice').toBe(23);
    expect(runBatches(b.deps.db, run.id).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(answers(b.deps)).toEqual(answers(online.deps));
    expect(run.costUsd).toBeGreaterThan(0);
    expect(run.costUsd / onlineRun.costUsd).toBeCloseTo(0.5, 6);
    const params = b.deps.db.$client.prepare('SELECT params, request_id AS "requestId" FROM suggestions ORDER BY id LIMIT 1').get() as { params: string; requestId: string };
    expect(JSON.parse(params.params)).toMatchObject({ batchId: server!.batches.created[0]!.id, repaired: false, responseFormatUsed: 'json_schema' });
    expect(params.requestId).toMatch(/^req_test_/);
  }, 60_000); // 60 s: 12-19 s on PostgreSQL (every statement a round trip through the driver), under 1 s on SQLite

  it('asks a text once per batch and gives items with the same text its answer; a second run reuses the stored answers without a batch', async () => {
    const texts = [...passages(3), ...passages(3)];
    const { deps } = await setup(texts);
    const run = await tag(deps, batch);
    expect(run).toMatchObject({ status: 'completed', itemsDone: 6 });
    expect(server!.batches.created.map((x) => x.customIds.length)).toEqual([3]);
    const again = await tag(deps, batch);
    expect(again).toMatchObject({ status: 'completed', itemsCached: 6, itemsDone: 0 });
    expect(server!.batches.created.length, 'the cache answered; nothing submitted').toBe(1);
  });

  it('resubmits failed lines and the unanswered part of an expired batch, waits out a slow one, and records final failures with their reason', async () => {
    const script = (text: string, attempt: number): Behaviour => {
      if (text.startsWith('Flaky')) return attempt === 0 ? { kind: 'server_error' } : { kind: 'answer' };
      if (text.startsWith('Refused')) return { kind: 'refusal' };
      if (text.startsWith('Broken')) return { kind: 'schema_break' };
      return { kind: 'answer' };
    };
    const fates: BatchBehaviour[] = [{ kind: 'expire', answered: 4 }, { kind: 'slow', polls: 3 }];
    const { deps, docs } = await setup([...passages(8), ...passages(2, 'Flaky'), { text: 'Refused: a passage.' }, { text: 'Broken: a passage.' }], {
      script,
      batches: { script: ({ index }) => fates[index] ?? { kind: 'complete' } },
    });
    const run = await tag(deps, batch);
    expect(run).toMatchObject({ status: 'completed', itemsTotal: 12, itemsDone: 10, itemsFailed: 2 });
    const created = server!.batches.created;
    expect(created.map((x) => x.customIds.length), 'all 12, then the 8 the expired batch left').toEqual([12, 8]);
    expect(created[1]!.polls).toBe(4);
    const failures = runFailures(deps.db, run.id);
    const ids = docs[0]!.passageItemIds;
    expect(failures.map((f) => [f.itemId, f.errorKind])).toEqual([
      [ids[10], 'refusal'],
      [ids[11], 'invalid_output'],
    ]);
    expect(failures[1]!.error).toContain('a batch answer gets no repair round');
  }, 60_000); // 60 s: 12-19 s on PostgreSQL (every statement a round trip through the driver), under 1 s on SQLite

  it('records items failed with the reason after the configured number of submissions when every batch expires unanswered', async () => {
    const { deps } = await setup(passages(3), { batches: { script: () => ({ kind: 'expire', answered: 0 }) }, maxRounds: 2 });
    const run = await tag(deps, batch);
    expect(run).toMatchObject({ status: 'failed', itemsFailed: 3 });
    expect(server!.batches.created.length).toBe(2);
    const [first] = runFailures(deps.db, run.id);
    expect(first).toMatchObject({ errorKind: 'server_error', attempts: 2 });
    expect(first!.error).toMatch(/^no answer after 2 batch submissions; the last: server_error: the batch did not answer this request \(batch_expired/);
  });

  it('fails the items of a batch the provider refuses with its reason, and refuses a batch run on the local provider', async () => {
    const { deps } = await setup(passages(2), { batches: { script: () => ({ kind: 'fail', message: 'The input file is malformed.' }) } });
    const run = await tag(deps, batch);
    expect(run.status).toBe('failed');
    expect(runFailures(deps.db, run.id).map((f) => f.error)).toEqual([
      `the provider refused batch ${server!.batches.created[0]!.id}: The input file is malformed.`,
      `the provider refused batch ${server!.batches.created[0]!.id}: The input file is malformed.`,
    ]);
    expect(() => createRun(deps, { ...batch, provider: 'local' }, 'test')).toThrow(/has no Batch API/);
  });

  it('cancels its batches at the provider when cancelled and applies what they answered on resume', async () => {
    const { deps } = await setup(passages(5));
    server!.batches.hold();
    const { run, job } = createRun(deps, batch, 'test');
    for (let i = 0; i < 500 && runBatches(deps.db, run.id)[0]?.status !== 'submitted'; i++) await new Promise((r) => setTimeout(r, 5));
    deps.jobs.cancel(job.id, 'test');
    await deps.jobs.settled(job.id);
    expect(getRun(deps.db, run.id).status).toBe('cancelled');
    expect(server!.batches.created[0]!.status).toBe('cancelled');
    server!.batches.release();
    const resumed = resumeRun(deps, run.id, 'test');
    await deps.jobs.settled(resumed.job.id);
    expect(getRun(deps.db, run.id)).toMatchObject({ status: 'completed', itemsDone: 5 });
    expect(server!.batches.created.length, 'the cancelled batch had answered everything: nothing resubmitted').toBe(1);
  });

  it('adopts the batch a process created but was killed before storing its id, instead of creating it again', async () => {
    const { deps } = await setup(passages(4));
    server!.batches.hold();
    const { run, job } = createRun(deps, batch, 'test');
    for (let i = 0; i < 500 && runBatches(deps.db, run.id)[0]?.status !== 'submitted'; i++) await new Promise((r) => setTimeout(r, 5));
    await deps.jobs.stop();
    expect(deps.jobs.queue.get(job.id).state).toBe('interrupted');
    // As if killed between creating the batch and storing its id.
    updateBatch(deps.db, runBatches(deps.db, run.id)[0]!.id, { status: 'uploaded', providerBatchId: null });
    server!.batches.release();
    // The next process resumes it: a stopped runner claims nothing.
    const restarted = { ...deps, jobs: jobRunnerFor(deps, { background: true }) };
    const resumed = resumeRun(restarted, run.id, 'test');
    expect((await restarted.jobs.settled(resumed.job.id)).state).toBe('completed');
    expect(getRun(deps.db, run.id)).toMatchObject({ status: 'completed', itemsDone: 4 });
    expect(server!.batches.created.length).toBe(1);
    expect(runBatches(deps.db, run.id)[0]!.providerBatchId).toBe(server!.batches.created[0]!.id);
    await restarted.jobs.stop();
  }, 60_000); // 60 s: 12-19 s on PostgreSQL (every statement a round trip through the driver), under 1 s on SQLite

  it('splits at the configured bytes per batch file, and fails an item too large for any batch with the reason', async () => {
    const { deps, docs } = await setup([...passages(6), { text: `Long: ${'the customs union '.repeat(4_000)}` }], { maxBytes: 60_000 });
    const run = await tag(deps, batch);
    expect(run).toMatchObject({ status: 'completed', itemsDone: 6, itemsFailed: 1 });
    const files = server!.batches.files;
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(f.bytes, 'every uploaded file within the limit').toBeLessThanOrEqual(60_000);
    expect(server!.batches.created.reduce((n, b) => n + b.customIds.length, 0)).toBe(6);
    const [failure] = runFailures(deps.db, run.id);
    expect(failure!.itemId).toBe(docs[0]!.passageItemIds[6]);
    expect(failure!.error).toMatch(/^its 1 requests \(\d+ bytes\) exceed one batch's limits \(50000 requests, 60000 bytes\)$/);
  });
});
