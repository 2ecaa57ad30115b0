import { describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { importFile } from './import.ts';
import { webHref } from './webUrl.ts';

describe('URLs of sources and documents', () => {
  it('links only absolute http and https URLs', () => {
    expect(webHref('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(webHref(' http://example.org ')).toBe('http://example.org/');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', 'file:///etc/passwd', '//evil.example', 'example.org', '']) {
      expect(webHref(bad), bad).toBeNull();
    }
  });

  it('refuses a javascript: or data: URL for a source with 400 and keeps the old one', async () => {
    const { app, deps } = testApp();
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Body.' }] }] }]);
    const patch = (url: string) => app.request('/api/sources/1', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) });
    expect((await patch('https://outlet.example/')).status).toBe(200);
    const bad = await patch('javascript:alert(1)');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid_url', message: 'url "javascript:alert(1)" is not a web address: only absolute http:// and https:// URLs are kept' } });
    expect((await patch('data:text/html,hi')).status).toBe(400);
    expect(deps.db.$client.prepare('SELECT url FROM sources').get()).toEqual({ url: 'https://outlet.example/' });
  });

  it('fails an imported file whose document URL is not http(s), naming the row, and writes nothing from it', () => {
    const db = createTestDb();
    const csv = 'title,text,url\nGood,First text.,https://example.org/1\nBad,Second text.,javascript:alert(1)\n';
    const report = importFile(db, { file: 'rows.csv', read: () => Buffer.from(csv) }, { origin: 'cli' });
    expect(report).toMatchObject({ status: 'failed', documents: 0, error: 'rows.csv: row 2: url "javascript:alert(1)" is not a web address: only absolute http:// and https:// URLs are kept' });
    expect(db.$client.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 0 });
  });
});
