import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { getActiveCodebook } from '../codebooks/service.ts';
import { seedCorpus } from '../fixtures.ts';
import { suggestForText } from '../tagging/suggest.ts';
import { loadConfig } from '../config.ts';
import { testApp } from '../testing.ts';
import { createProvider } from './index.ts';
import { redactText, redactUrl, secretsOf } from './redact.ts';

describe('credentials in OPENAI_BASE_URL', () => {
  it('masks a user, a password and credential-looking query values, and keeps the rest of the URL', () => {
    expect(redactUrl('https://alice:s3cret@llm.example/v1?api-version=2024-06-01&api_key=k3y&sig=abc')).toBe('https://***:***@llm.example/v1?api-version=2024-06-01&api_key=***&sig=***');
    expect(redactUrl('http://127.0.0.1:11434/v1')).toBe('http://127.0.0.1:11434/v1');
    expect(redactUrl('not a url with secrets')).toBe('***');
    const secrets = secretsOf('https://alice:p%40ss@llm.example/v1?token=t0k', 'sk-live-123');
    expect(redactText('refused sk-live-123 for alice p@ss / p%40ss at ...?token=t0k', secrets)).toBe('refused *** for *** *** / *** at ...?token=***');
  });

  it('refuses a user name or password in the URL at start, without repeating them', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'https://alice:s3cret@llm.example/v1' })).toThrow(
      'invalid environment variable OPENAI_BASE_URL: must not carry a user name or password (requests to such a URL are refused); put the key in OPENAI_API_KEY',
    );
  });

  it('never echoes them from the estimate route', async () => {
    const env = { OPENAI_BASE_URL: 'https://llm.example/v1?api_key=k3y', OPENAI_API_KEY: 'sk-live-abcdef' };
    const { app, deps } = testApp({ env });
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Body.' }] }] }]);
    const res = await app.request('/api/tagging/estimate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'openai' }) });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text).displayName).toBe('gpt-4o-mini (OpenAI-compatible) via https://llm.example/v1?api_key=***');
    for (const secret of ['k3y', 'sk-live-abcdef']) expect(text).not.toContain(secret);
  });

  it('scrubs them from a failed request\u2019s stored error even when the server repeats them', async () => {
    const key = 'sk-live-abcdef123';
    const server = createServer((req, res) => {
      const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${key} at ${req.url}`, type: 'invalid_request_error' } });
      res.writeHead(401, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { deps } = testApp();
      const port = (server.address() as AddressInfo).port;
      const config = { ...deps.config, openai: { apiKey: key, baseURL: `http://127.0.0.1:${port}/v1?token=t0ken-xyz`, model: 'm' } };
      const provider = createProvider(config, { name: 'openai' });
      const cb = getActiveCodebook(deps.db);
      const result = await suggestForText(provider, { codebook: { definition: cb.definition, version: cb.version, hash: cb.hash }, level: 'passage', text: 'Body.', maskOutlet: false });
      expect(result.ok).toBe(false);
      const failure = JSON.stringify(result);
      expect(failure).toContain('not authorised (401)');
      for (const secret of [key, 't0ken-xyz']) expect(failure).not.toContain(secret);
      expect(provider.displayName).toBe(`m (OpenAI-compatible) via http://127.0.0.1:${port}/v1?token=***`);
    } finally {
      server.close();
    }
  });
});
