import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../evals/service.ts';
import { testApp } from '../testing.ts';

describe('evals API', () => {
  it('lists stored results and serves one in full; unknown and malformed names get 404 and 400', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'framescope-evals-api-'));
    writeFileSync(join(dir, 'notes.json'), '{"not": "a result"}');
    const { app, deps } = testApp({ evalResultsDir: dir });
    await evaluate({ provider: 'local', gold: join('evals', 'gold', 'shared-corpus.v1.jsonl'), corpusDir: join('..', 'shared', 'corpus'), resultsDir: dir, name: 'local-cv', bootstrapIterations: 100, folds: 2 }, { config: deps.config, now: () => new Date('2026-01-15T12:00:00Z') });

    const list = await app.request('/api/evals');
    expect(list.status).toBe(200);
    const body = (await list.json()) as { results: { name: string; provider: string; protocol: string; n: number; createdAt: string }[] };
    expect(body.results.map((r) => [r.name, r.provider, r.protocol, r.n, r.createdAt])).toEqual([['local-cv', 'local', 'cross-validation by outlet', 103, '2026-01-15T12:00:00.000Z']]);

    const one = await app.request('/api/evals/local-cv');
    expect(one.status).toBe(200);
    const result = (await one.json()) as { name: string; label: { confusion: { labels: string[] } }; calibration: { bins: unknown[] } };
    expect(result.name).toBe('local-cv');
    expect(result.label.confusion.labels).toEqual(['integrationist', 'critical', 'analytical']);
    expect(result.calibration.bins).toHaveLength(10);

    const missing = await app.request('/api/evals/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'eval result nope not found' } });
    const malformed = await app.request('/api/evals/..%2Fsecrets');
    expect(malformed.status).toBe(400);
  }, 60_000);

  it('describes both routes in the OpenAPI document', async () => {
    const { app } = testApp();
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/evals', '/api/evals/{name}']));
  });
});
