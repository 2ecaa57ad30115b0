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
});
