import { describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { Readable } from 'node:stream';
import { runImport } from './import.ts';
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

  it('rejects an imported row whose document URL is not http(s), naming its line and column, and a single document whose URL is not', async () => {
    const db = createTestDb();
    const file = (name: string, text: string) => ({ file: name, open: () => Readable.from([Buffer.from(text)]) });
    const csv = 'title,text,url\nGood,First text.,https://example.org/1\nBad,Second text.,javascript:alert(1)\n';
    const [rows] = (await runImport(db, [file('rows.csv', csv)], { origin: 'cli' })).files;
    expect(rows).toMatchObject({ documents: 1, rejected: 1, rejects: [{ line: 3, column: 'url', reason: 'url "javascript:alert(1)" is not a web address: only absolute http:// and https:// URLs are kept' }] });
    const [single] = (await runImport(db, [file('one.txt', 'Some text.')], { origin: 'cli', meta: { url: 'data:text/html,<b>x</b>' } })).files;
    expect(single).toMatchObject({ status: 'failed', documents: 0 });
    expect(single!.error).toContain('url "data:text/html,<b>x</b>" is not a web address');
    expect(db.$client.prepare('SELECT url FROM documents').all()).toEqual([{ url: 'https://example.org/1' }]);
  });
});
