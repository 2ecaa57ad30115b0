import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { modelComparisonItems, taggingRuns } from '../../db/schema/index.ts';
import { addReview, seedCorpus } from '../fixtures.ts';
import { startTestServer, type TestServer } from '../providers/testing/server.ts';
import { createComparison, drawSample, getComparison } from '../tagging/comparisons.ts';
import { getRun } from '../tagging/runs.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openAppDb } from '../db.ts';
import { runCli, testDeps } from '../testing.ts';
import { compareRuns, comparisonDisagreements } from './comparison.ts';

/**
 * Six passages in three documents. Model A and model B answer from fixed tables (below);
 * people decided P1, P2, P3 and P5. Hand computation:
 * - A vs people [int, crit, ana, ana] / [int, crit, ana, crit]: accuracy 3/4; p_o 3/4,
 *   p_e (1*1 + 1*2 + 2*1)/16 = 5/16, kappa (3/4 - 5/16) / (11/16) = 7/11.
 * - B vs people [int, int, int, ana]: accuracy 2/4; p_e (1*3 + 1*0 + 2*1)/16 = 5/16,
 *   kappa (1/2 - 5/16) / (11/16) = 3/11.
 * - A vs B on all six: agree on P1, P4, P6 (1/2); A has 2 of each label, B 4 int and 2 ana:
 *   p_e (2*4 + 2*0 + 2*2)/36 = 1/3, kappa (1/2 - 1/3) / (2/3) = 1/4.
 * - They differ on P2, P3 and P5.
 */
const PASSAGES = ['P1 the union brings peoples together.', 'P2 the bloc keeps neighbours on a leash.', 'P3 trade grew by a fifth.', 'P4 brotherly ties were praised.', 'P5 critics warn of pressure.', 'P6 analysts weigh the numbers.'];
const ANSWERS: Record<string, string[]> = {
  'model-a': ['integrationist', 'critical', 'analytical', 'integrationist', 'critical', 'analytical'],
  'model-b': ['integrationist', 'integrationist', 'integrationist', 'integrationist', 'analytical', 'analytical'],
};
const HUMAN: Record<number, string> = { 0: 'integrationist', 1: 'critical', 2: 'analytical', 4: 'analytical' };

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(dbPath?: string) {
  server = await startTestServer({
    latencyMs: 5,
    script: (ctx) => {
      const index = PASSAGES.findIndex((p) => ctx.text.includes(p.slice(0, 3)));
      return { kind: 'answer', answer: { label: ANSWERS[ctx.body.model ?? '']?.[index] ?? 'analytical' } };
    },
  });
  const env = { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'model-a' };
  // A database file: the job runner's worker threads open it from the config.
  const deps = testDeps({ env, ...(dbPath ? { db: openAppDb(dbPath), config: loadConfig(env, { dbPath }) } : {}) });
  const docs = seedCorpus(deps.db, [
    { name: 'Outlet A', documents: [{ title: 'D1', passages: [{ text: PASSAGES[0]! }, { text: PASSAGES[1]! }] }, { title: 'D2', passages: [{ text: PASSAGES[2]! }, { text: PASSAGES[3]! }] }] },
    { name: 'Outlet B', documents: [{ title: 'D3', passages: [{ text: PASSAGES[4]! }, { text: PASSAGES[5]! }] }] },
  ]);
  const itemIds = docs.flatMap((d) => d.passageItemIds);
  for (const [i, label] of Object.entries(HUMAN)) addReview(deps.db, itemIds[Number(i)]!, { reviewer: 'ana', action: 'edit', label, stance: 0, blind: true });
  return { deps, itemIds };
}

const prices = { 'model-a': { inputPerMTok: 1, outputPerMTok: 2 }, 'model-b': { inputPerMTok: 10, outputPerMTok: 20 } };

describe('model comparisons', () => {
  it('tags one stored sample with each arm and reports agreement with people and between the models as computed by hand', async () => {
    const { deps, itemIds } = await setup();
    const { comparison, runs, items } = createComparison(deps, { arms: [{ provider: 'openai', model: 'model-a' }, { provider: 'openai', model: 'model-b' }], sampleSize: 6, seed: 7, prices }, 'test');
    expect(items).toBe(6);
    expect(runs.map((r) => [r.model, r.comparisonId, r.itemsTotal])).toEqual([['model-a', comparison.id, 6], ['model-b', comparison.id, 6]]);
    for (const run of runs) await deps.jobs.settled(deps.jobs.queue.list({ taggingRunId: run.id, limit: 1 })[0]!.id);
    expect(runs.map((r) => getRun(deps.db, r.id).status)).toEqual(['completed', 'completed']);

    const report = compareRuns(deps.db, { comparisonId: comparison.id }, { iterations: 200 });
    expect(report.items).toBe(6);
    expect(report.humanDecided).toBe(4);
    expect(report.incomplete).toBe(false);
    const [a, b] = report.arms;
    expect(a!.answered).toBe(6);
    expect(a!.humans.accuracy.estimate).toBe(0.75);
    expect(a!.humans.kappa.estimate).toBeCloseTo(7 / 11, 12);
    expect(b!.humans.accuracy.estimate).toBe(0.5);
    expect(b!.humans.kappa.estimate).toBeCloseTo(3 / 11, 12);
    expect(a!.humans.documents).toBe(3);
    expect(a!.humans.kappa.low!).toBeLessThanOrEqual(a!.humans.kappa.estimate!);
    expect(report.pairs).toHaveLength(1);
    expect(report.pairs[0]).toMatchObject({ a: runs[0]!.id, b: runs[1]!.id, n: 6, percentAgreement: 0.5 });
    expect(report.pairs[0]!.kappa.estimate).toBeCloseTo(0.25, 12);
    expect(report.disagreements.map((d) => d.itemId)).toEqual([itemIds[1], itemIds[2], itemIds[4]]);
    expect(report.disagreements[0]).toMatchObject({ human: 'critical', answers: [{ label: 'critical' }, { label: 'integrationist' }] });
    expect(report.reviewLink).toBe(`/review?comparison=${comparison.id}&disagree=1&level=passage&order=document`);
    expect(comparisonDisagreements(deps.db, comparison.id)).toEqual([itemIds[1], itemIds[2], itemIds[4]]);

    // Cost per 1,000 items from the runs' recorded usage: model-b is priced ten times model-a.
    const runA = getRun(deps.db, runs[0]!.id);
    expect(a!.costPer1000Usd).toBeCloseTo((runA.costUsd / 6) * 1000, 12);
    expect(b!.costPer1000Usd).toBeCloseTo((getRun(deps.db, runs[1]!.id).costUsd / 6) * 1000, 12);
    expect(b!.costPer1000Usd! / a!.costPer1000Usd!).toBeGreaterThan(9);
    expect(a!.latencyMs.mean).toBeGreaterThan(0);

    // The same runs by id give the same figures (they share the comparison, so the link too).
    const byRuns = compareRuns(deps.db, { runIds: runs.map((r) => r.id) }, { iterations: 200 });
    expect(byRuns.arms.map((x) => x.humans.kappa.estimate)).toEqual(report.arms.map((x) => x.humans.kappa.estimate));
    expect(byRuns.reviewLink).toBe(report.reviewLink);
  });

  it('starts a comparison over HTTP, reports it, and the review queue opens exactly its disagreements', async () => {
    const { deps, itemIds } = await setup();
    const app = createApp(deps);
    const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const started = await post('/api/tagging/comparisons', { name: 'a vs b', arms: [{ provider: 'openai', model: 'model-a' }, { provider: 'openai', model: 'model-b' }], sampleSize: 6 });
    expect(started.status).toBe(201);
    const comparison = (await started.json()) as { id: number; items: number; runs: { id: number; jobId: number }[] };
    expect(comparison.items).toBe(6);
    for (const run of comparison.runs) await deps.jobs.settled(run.jobId);
    const report = (await (await app.request(`/api/evals/comparisons/${comparison.id}`)).json()) as { reviewLink: string; disagreements: { itemId: number }[] };
    expect(report.disagreements.map((d) => d.itemId)).toEqual([itemIds[1], itemIds[2], itemIds[4]]);
    const queue = (await (await app.request(`/api${report.reviewLink.replace('/review?', '/review/queue?')}`)).json()) as { entries: { itemId: number }[]; total: number };
    expect(queue.entries.map((e) => e.itemId)).toEqual([itemIds[1], itemIds[2], itemIds[4]]);
    expect(queue.total).toBe(3);
    const whole = (await (await app.request(`/api/review/queue?comparison=${comparison.id}&order=document`)).json()) as { total: number };
    expect(whole.total).toBe(6);
    const listed = (await (await app.request('/api/tagging/comparisons')).json()) as { comparisons: { name: string; runs: unknown[] }[] };
    expect(listed.comparisons.map((c) => [c.name, c.runs.length])).toEqual([['a vs b', 2]]);

    const lone = await app.request('/api/review/queue?disagree=1');
    expect(lone.status).toBe(400);
    expect(((await lone.json()) as { error: { message: string } }).error.message).toBe('disagree=1 needs comparison=ID: the disagreements are those of one model comparison');
    expect((await app.request('/api/review/queue?comparison=77')).status).toBe(404);
    expect((await app.request('/api/evals/comparisons/77')).status).toBe(404);
  });

  it('draws the same sample for the same seed and stores it', async () => {
    const { deps, itemIds } = await setup();
    const first = drawSample(deps.db, ['passage'], undefined, 3, 42);
    expect(drawSample(deps.db, ['passage'], undefined, 3, 42)).toEqual(first);
    expect(first).toHaveLength(3);
    expect(first.every((id) => itemIds.includes(id))).toBe(true);
    const seeds = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => drawSample(deps.db, ['passage'], undefined, 3, seed).join(',')));
    expect(seeds.size).toBeGreaterThan(1);
    const { comparison } = createComparison(deps, { arms: [{ provider: 'local' }, { provider: 'openai', model: 'model-b' }], sampleSize: 3, seed: 42 }, 'test');
    const stored = deps.db.select().from(modelComparisonItems).where(eq(modelComparisonItems.comparisonId, comparison.id)).all().map((r) => r.itemId).sort((x, y) => x - y);
    expect(stored).toEqual(first);
    expect(getComparison(deps.db, comparison.id).items).toBe(3);
    await deps.jobs.stop();
  });

  it('refuses a bad arm by its number and records nothing', async () => {
    const { deps } = await setup();
    expect(() => createComparison(deps, { arms: [{ provider: 'openai', model: 'model-a' }, { profileId: 99 }], sampleSize: 3 }, 'test')).toThrow(/^arm 2: /);
    expect(() => createComparison(deps, { arms: [{ provider: 'openai', model: 'model-a' }], sampleSize: 3 }, 'test')).toThrow('arms: a comparison needs at least two arms');
    expect(deps.db.select().from(taggingRuns).all()).toEqual([]);
  });

  it('refuses run ids that do not exist', async () => {
    const { deps } = await setup();
    expect(() => compareRuns(deps.db, { runIds: [41, 42] })).toThrow('tagging run 41, 42 not found');
    expect(() => compareRuns(deps.db, { runIds: [41] })).toThrow('a comparison needs at least two distinct runs');
  });
});

describe('eval --compare', () => {
  it('prints one JSON object for a comparison id, a readable report for its run ids with the review link, and names runs it cannot find', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framescope-compare-'));
    try {
      const dbPath = join(dir, 'fs.db');
      const { deps, itemIds } = await setup(dbPath);
      const { comparison, runs } = createComparison(deps, { arms: [{ provider: 'openai', model: 'model-a' }, { provider: 'openai', model: 'model-b' }], sampleSize: 6 }, 'test');
      for (const run of runs) await deps.jobs.settled(deps.jobs.queue.list({ taggingRunId: run.id, limit: 1 })[0]!.id);
      await deps.jobs.stop();
      expect(runs.map((r) => getRun(deps.db, r.id).status)).toEqual(['completed', 'completed']);
      deps.db.$client.close();

      const byId = await runCli(['eval', '--compare', String(comparison.id), '--json', '--bootstrap', '200', '--db', dbPath]);
      expect(byId.code, byId.stderr).toBe(0);
      const report = JSON.parse(byId.stdout) as { arms: { model: string; humans: { accuracy: { estimate: number }; kappa: { estimate: number } } }[]; pairs: { kappa: { estimate: number } }[]; disagreements: { itemId: number }[] };
      expect(report.arms.map((a) => [a.model, a.humans.accuracy.estimate])).toEqual([['model-a', 0.75], ['model-b', 0.5]]);
      expect(report.arms[0]!.humans.kappa.estimate).toBeCloseTo(7 / 11, 12);
      expect(report.pairs[0]!.kappa.estimate).toBeCloseTo(0.25, 12);
      expect(report.disagreements.map((d) => d.itemId)).toEqual([itemIds[1], itemIds[2], itemIds[4]]);

      const text = await runCli(['eval', '--compare', runs.map((r) => r.id).join(','), '--bootstrap', '200', '--db', dbPath]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('6 items in the sample, 4 with an independent human decision so far.');
      expect(text.stdout).toContain(`Review them first: /review?comparison=${comparison.id}&disagree=1&level=passage&order=document`);
      expect(text.stdout).toContain('## Where they differ (3 items)');

      const missing = await runCli(['eval', '--compare', '5,6', '--db', dbPath]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('tagging run 5, 6 not found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
