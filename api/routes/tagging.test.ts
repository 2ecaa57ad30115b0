import { describe, expect, it } from 'vitest';
import { getActiveCodebook } from '../codebooks/service.ts';
import { seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { codebookOnlyModel } from '../training/store.ts';

function withCorpus() {
  const t = testApp();
  const docs = seedCorpus(t.deps.db, [{ name: 'Outlet', documents: [{ title: 'Doc', passages: [{ text: 'The union grows stronger.' }, { text: 'Analysts weigh the options.' }, { text: 'Donate now', excluded: true }] }] }]);
  return { ...t, docs };
}

const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('the tagging API', () => {
  it('estimates, starts a run in the server, streams its progress and lists its suggestions with provenance', async () => {
    const { app, docs, deps } = withCorpus();
    const model = codebookOnlyModel(getActiveCodebook(deps.db)).version;
    expect(model).toMatch(/^local-baseline-v2\.n0\.[0-9a-f]{8}$/);
    const estimate = await app.request('/api/tagging/estimate', post({ levels: ['passage', 'document'] }));
    expect(await estimate.json()).toEqual({
      provider: 'local',
      model,
      displayName: `local baseline (${model})`,
      items: 3,
      passages: 2,
      documents: 1,
      cached: 0,
      requests: 3,
      estimatedTokensIn: 0,
      estimatedTokensOut: 0,
      estimatedCostUsd: 0,
    });
    const started = await app.request('/api/tagging/runs', post({}));
    expect(started.status).toBe(201);
    const run = (await started.json()) as { id: number; status: string; jobId: number };
    expect(run.status, 'recorded and queued: the request does not wait for any work').toBe('pending');
    expect(run.jobId).toBeGreaterThan(0);

    const events = await (await app.request(`/api/tagging/runs/${run.id}/events`)).text();
    expect(events).toMatch(/^event: progress\ndata: \{"runId":1,/);
    expect(events).toContain(`event: end\ndata: {"runId":1,"jobId":${run.jobId},"status":"completed","phase":"completed","provider":"local","model":"${model}","itemsTotal":3,"itemsDone":3,"itemsFailed":0,"itemsCached":0,`);

    const detail = (await (await app.request(`/api/tagging/runs/${run.id}`)).json()) as { run: { status: string; live: boolean }; failures: unknown[] };
    expect(detail).toMatchObject({ run: { status: 'completed', live: false }, failures: [] });
    const list = (await (await app.request('/api/tagging/runs')).json()) as { runs: { id: number }[] };
    expect(list.runs.map((r) => r.id)).toEqual([run.id]);

    const s = (await (await app.request(`/api/items/${docs[0]!.passageItemIds[0]}/suggestions`)).json()) as { suggestions: Record<string, unknown>[] };
    expect(s.suggestions).toHaveLength(1);
    expect(s.suggestions[0]).toMatchObject({ provider: 'local', model, providerLabel: `local baseline (${model})`, runId: run.id, promptVersion: 'passage-v2', codebookVersion: '1' });
    expect((await app.request('/api/items/999/suggestions')).status).toBe(404);
  });

  it('refuses to resume a completed run and cancels a finished one as a no-op', async () => {
    const { app } = withCorpus();
    const run = (await (await app.request('/api/tagging/runs', post({ levels: ['document'] }))).json()) as { id: number };
    await waitFor(
      async () => ((await (await app.request(`/api/tagging/runs/${run.id}`)).json()) as { run: { status: string } }).run.status,
      (s) => s === 'completed',
    );
    const resume = await app.request(`/api/tagging/runs/${run.id}/resume`, post({}));
    expect(resume.status).toBe(409);
    expect(await resume.json()).toEqual({ error: { code: 'run_completed', message: `tagging run ${run.id} is already completed` } });
    expect(((await (await app.request(`/api/tagging/runs/${run.id}/cancel`, { method: 'POST' })).json()) as { status: string }).status).toBe('completed');
  });

  it('answers a bad run request with the offending field', async () => {
    const { app } = withCorpus();
    const res = await app.request('/api/tagging/runs', post({ concurrency: 0 }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^concurrency: /);
  });

  it('stores a codebook version from JSON, activates it and refuses a changed version', async () => {
    const { app } = testApp();
    const book = {
      name: 'transit',
      version: '1',
      labels: [
        { id: 'pro', name: 'Pro', definition: 'For.', examples: [] },
        { id: 'anti', name: 'Anti', definition: 'Against.', examples: [] },
      ],
      stance: { target: 'trams', min: -1, max: 1, labels: {} },
      themes: [],
    };
    const saved = await app.request('/api/codebooks', post(book));
    expect(saved.status).toBe(201);
    const row = (await saved.json()) as { id: number; active: boolean };
    expect(row.active).toBe(false);
    const activated = (await (await app.request(`/api/codebooks/${row.id}/activate`, { method: 'POST' })).json()) as { active: boolean };
    expect(activated.active).toBe(true);
    const list = (await (await app.request('/api/codebooks')).json()) as { codebooks: { name: string; active: boolean }[] };
    expect(list.codebooks.map((c) => [c.name, c.active])).toEqual([
      ['post-soviet-integration', false],
      ['transit', true],
    ]);
    const changed = await app.request('/api/codebooks', post({ ...book, themes: [{ id: 'cost', name: 'Cost', definition: '' }] }));
    expect(changed.status).toBe(400);
    expect(await changed.json()).toEqual({ error: { code: 'codebook_version_exists', message: 'codebook transit v1 already exists with different content; give the change a new version' } });
    const invalid = await app.request('/api/codebooks', post({ ...book, version: '2', labels: [book.labels[0]] }));
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toBe('codebook: labels: Too small: expected array to have >=2 items');
  });

  it('lists the prompt versions on disk', async () => {
    const { app } = testApp();
    const body = (await (await app.request('/api/prompts')).json()) as { prompts: { id: string; level: string }[] };
    expect(body.prompts.map((p) => [p.id, p.level])).toEqual([
      ['document-v1', 'document'],
      ['document-v2', 'document'],
      ['passage-v1', 'passage'],
      ['passage-v2', 'passage'],
    ]);
  });
});
