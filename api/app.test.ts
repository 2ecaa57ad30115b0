import { describe, expect, it } from 'vitest';
import { testApp } from './testing.ts';

describe('the API shell', () => {
  it('answers health with the default provider', async () => {
    const { app } = testApp();
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: '0.1.0', provider: 'local' });
  });

  it('picks the OpenAI-compatible provider when OPENAI_BASE_URL is set', async () => {
    const { app } = testApp({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(((await (await app.request('/api/health')).json()) as { provider: string }).provider).toBe('openai');
  });

  it('reports zero counts on an empty database', async () => {
    const { app } = testApp();
    const res = await app.request('/api/stats');
    expect(await res.json()).toMatchObject({ sources: 0, documents: 0, passages: 0, excludedPassages: 0, suggestions: 0, reviews: 0 });
  });

  it('answers an unknown API route with a 404 in the common error shape', async () => {
    const { app } = testApp();
    const res = await app.request('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /api/nope' } });
  });

  it('describes every API route in openapi.json', async () => {
    const { app } = testApp();
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)),
    );
    const served = app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.path !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(1);
    const undocumented = [...new Set(served)].filter((r) => !documented.has(r));
    expect(undocumented, 'routes missing from openapi.json').toEqual([]);
  });
});
