import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { localModels, suggestions } from '../../db/schema/index.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { createRun, estimateRun, getRun } from '../tagging/runs.ts';
import { testDeps } from '../testing.ts';
import { retrainDue, retrainSchedule, retrainThreshold } from './schedule.ts';
import { codebookOnlyModel, currentLocalModel } from './store.ts';

const NONSENSE = ['Zorblat quinoxes the frimble.', 'Zorblat quinoxes the frimble again.', 'The frimble is zorblat.'];

/** A corpus whose three passages reviewers all label critical, stance -2. */
function reviewedCorpus() {
  const deps = testDeps();
  const [doc] = seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'Nonsense', passages: NONSENSE.map((text) => ({ text })) }] }]);
  for (const itemId of doc!.passageItemIds) {
    addSuggestion(deps.db, itemId, { label: 'integrationist', stance: 1 });
    addReview(deps.db, itemId, { reviewer: 'ana', action: 'edit', label: 'critical', stance: -2, themes: ['disintegration'] });
  }
  const cb = getActiveCodebook(deps.db);
  return { deps, doc: doc!, cb: { id: cb.id, definition: cb.definition, version: cb.version, hash: cb.hash } };
}

describe('training the local baseline as a job', () => {
  it('stores a new model version named by its training set, which the next run uses and which learned the reviews', async () => {
    const { deps, cb } = reviewedCorpus();
    const before = currentLocalModel(deps.db, cb);
    expect(before).toEqual(codebookOnlyModel(cb));
    expect(estimateRun(deps, { provider: 'local', levels: ['passage'] }).model).toBe(before.version);

    const job = deps.jobs.submit({ kind: 'training', params: { codebookId: cb.id }, createdBy: 'test' });
    const done = await deps.jobs.settled(job.id);
    expect(done).toMatchObject({ state: 'completed', progress: { phase: 'training', unit: 'iterations' } });
    expect(done.progress!.done).toBe(done.progress!.total);

    const after = currentLocalModel(deps.db, cb);
    expect(after.version).toMatch(/^local-baseline-v2\.n3\.[0-9a-f]{8}$/);
    expect(after.version).not.toBe(before.version);
    expect(after).toMatchObject({ stored: true, trainingSize: 3 });
    expect(done.result).toMatchObject({ version: after.version, trainingSize: 3 });
    const stored = deps.db.select().from(localModels).where(eq(localModels.version, after.version)).get()!;
    expect(stored.artifactBytes).toBe(stored.artifact.byteLength);
    expect(stored.jobId).toBe(job.id);

    // The run asks the stored model, and says which version answered.
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'More', passages: [{ text: 'Zorblat quinoxes the frimble once more.' }] }] }]);
    const { run, job: runJob } = createRun(deps, { provider: 'local', levels: ['passage'], selection: { untaggedOnly: true } }, 'test');
    await deps.jobs.settled(runJob.id);
    expect(getRun(deps.db, run.id)).toMatchObject({ status: 'completed', model: after.version, itemsDone: 1 });
    const answer = deps.db.select().from(suggestions).where(eq(suggestions.runId, run.id)).get()!;
    expect([answer.model, answer.label, answer.stance]).toEqual([after.version, 'critical', -2]);
  });

  it('trains again on the same reviews to the same version, stored once', async () => {
    const { deps, cb } = reviewedCorpus();
    for (let i = 0; i < 2; i++) await deps.jobs.settled(deps.jobs.submit({ kind: 'training', params: { codebookId: cb.id }, createdBy: 'test' }).id);
    expect(deps.db.select().from(localModels).all().map((m) => m.version)).toEqual([currentLocalModel(deps.db, cb).version]);
  });

  it('queues a retraining only when enough new decisions came in since the stored model, and never two at once', async () => {
    const { deps, cb, doc } = reviewedCorpus();
    expect(retrainThreshold(0)).toBe(25);
    expect(retrainThreshold(2_000)).toBe(200);
    await deps.jobs.settled(deps.jobs.submit({ kind: 'training', params: { codebookId: cb.id }, createdBy: 'test' }).id);
    expect(retrainDue(deps)).toMatchObject({ newDecisions: 0, threshold: 25, due: false });

    const round = retrainSchedule(deps);
    const trainingJobs = () => deps.jobs.queue.list({ kinds: ['training'] }).length;
    round.run(deps.jobs);
    expect(trainingJobs(), 'nothing new: no training').toBe(1);
    for (let i = 0; i < 25; i++) addReview(deps.db, doc.passageItemIds[i % 3]!, { reviewer: `r${i}`, action: 'accept', label: 'critical', stance: -2 });
    expect(retrainDue(deps)).toMatchObject({ newDecisions: 25, due: true });
    round.run(deps.jobs);
    round.run(deps.jobs);
    const queued = deps.jobs.queue.list({ kinds: ['training'] });
    expect(queued.length, 'one retraining, queued by the round').toBe(2);
    expect(queued[0]!.createdBy).toBe('system');
    await deps.jobs.settled(queued[0]!.id);
    expect(retrainDue(deps).due).toBe(false);
  });
});
