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

  it('refuses a query parameter a route does not take, naming it and the ones it takes, on every route', async () => {
    const { app } = testApp();
    const misspelt = await app.request('/api/dashboard/framing?basis=model&source=3');
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toEqual({
      error: {
        code: 'invalid_input',
        message: 'unknown query parameter "source": this route takes basis, includeBulk, level, sources, from, to, provider, model, promptVersion, codebook, status, groupBy, top, group, syndicated, story',
      },
    });
    const none = await app.request('/api/stats?verbose=1&x=2');
    expect(await none.json()).toEqual({ error: { code: 'invalid_input', message: 'unknown query parameters "verbose", "x": this route takes none' } });
    const exported = await app.request('/api/export?format=csv&sources_=Outlet');
    expect(exported.status).toBe(400);
    expect(((await exported.json()) as { error: { message: string } }).error.message).toMatch(/^unknown query parameter "sources_": this route takes format, level, status, sources, /);
    expect((await app.request('/api/review/agreement?level=document')).status).toBe(200);
  });
});
