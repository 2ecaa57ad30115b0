import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import type { JobView } from '../jobs/view.ts';
import { testApp, waitForJob } from '../testing.ts';

const post = (body?: unknown) => ({ method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });

function withCorpus(overrides: Parameters<typeof testApp>[0] = {}) {
  const t = testApp(overrides);
  const [doc] = seedCorpus(t.deps.db, [{ name: 'Outlet', documents: [{ title: 'Doc', passages: [{ text: 'The union grows.' }, { text: 'Analysts =weigh options.' }] }] }]);
  for (const itemId of doc!.passageItemIds) addSuggestion(t.deps.db, itemId, { label: 'critical', stance: -1 });
  addReview(t.deps.db, doc!.passageItemIds[0]!, { reviewer: 'ana', action: 'accept', label: 'critical', stance: -1 });
  return t;
}

describe('the jobs API', () => {
  it('writes an export as a job, with progress, whose file is the same as the streamed download', async () => {
    const { app, deps } = withCorpus();
    const query = 'format=csv&level=passage&status=final';
    const res = await app.request(`/api/export/jobs?${query}`, post());
    expect(res.status).toBe(202);
    const queued = (await res.json()) as JobView;
    expect(queued).toMatchObject({ kind: 'export', summary: 'csv export of passages (final)' });
    const done = await waitForJob(app, queued.id);
    expect(done).toMatchObject({ state: 'completed', progress: { phase: 'writing', unit: 'rows', done: 2, total: 2 }, result: { fileName: 'framescope-passage-final.csv', rows: 2 } });
    const file = await app.request(`/api/export/jobs/${queued.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="framescope-passage-final.csv"');
    const streamed = await (await app.request(`/api/export?${query}`)).text();
    expect(await file.text()).toBe(streamed);
    rmSync(deps.jobs.filesDir, { recursive: true, force: true });
  });

  it('refuses an export job with a bad filter before queuing anything, and a file before its job completed', async () => {
    const { app, deps } = withCorpus();
    const bad = await app.request('/api/export/jobs?format=csv&sources=Nowhere', post());
    expect(bad.status).toBe(400);
    expect(deps.jobs.queue.list()).toEqual([]);
    const rollups = (await (await app.request('/api/jobs/rollups', post())).json()) as JobView;
    const notExport = await app.request(`/api/export/jobs/${rollups.id}/file`);
    expect(notExport.status).toBe(404);
  });

  it('runs an eval as a job whose result the evals list then shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framescope-eval-job-'));
    const { app } = testApp({ evalResultsDir: dir });
    const res = await app.request('/api/evals/jobs', post({ provider: 'local', folds: 2, name: 'local-job' }));
    expect(res.status).toBe(202);
    const done = await waitForJob(app, ((await res.json()) as JobView).id);
    expect(done).toMatchObject({ state: 'completed', kind: 'eval', progress: { phase: 'asking', unit: 'requests' }, result: { name: 'local-job', n: 103 } });
    expect(done.progress!.done).toBe(done.progress!.total);
    const list = (await (await app.request('/api/evals')).json()) as { results: { name: string }[] };
    expect(list.results.map((r) => r.name)).toEqual(['local-job']);
    expect((await app.request('/api/evals/jobs', post({ provider: 'local', gold: '../../etc/passwd' }))).status).toBe(400);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('lists jobs of every kind newest first, filters them, and refuses to resume a completed one', async () => {
    const { app } = withCorpus();
    const rebuild = await waitForJob(app, ((await (await app.request('/api/jobs/rollups', post())).json()) as JobView).id);
    const training = await waitForJob(app, ((await (await app.request('/api/jobs/training', post())).json()) as JobView).id);
    expect(training).toMatchObject({ state: 'completed', summary: expect.stringMatching(/^training of the local baseline/), result: { trainingSize: 1 } });
    const all = (await (await app.request('/api/jobs')).json()) as { jobs: JobView[] };
    expect(all.jobs.map((j) => [j.id, j.kind, j.state])).toEqual([
      [training.id, 'training', 'completed'],
      [rebuild.id, 'rollups', 'completed'],
    ]);
    const onlyRollups = (await (await app.request('/api/jobs?kind=rollups')).json()) as { jobs: JobView[] };
    expect(onlyRollups.jobs.map((j) => j.id)).toEqual([rebuild.id]);
    const again = await app.request(`/api/jobs/${rebuild.id}/resume`, post());
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: 'job_completed', message: `job ${rebuild.id} is already completed` } });
    expect((await app.request('/api/jobs/999')).status).toBe(404);
    const events = await (await app.request(`/api/jobs/${rebuild.id}/events`)).text();
    expect(events).toMatch(/^event: progress\ndata: \{"id":\d+,"kind":"rollups","state":"completed"/);
    expect(events).toMatch(/event: end\ndata: \{"id":\d+,"kind":"rollups","state":"completed"/);
  });
});
