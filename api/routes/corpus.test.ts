import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { createTestDb, waitForJob } from '../testing.ts';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { serverDeps } from '../jobs/setup.ts';
import { MAX_UPLOAD_BYTES } from './imports.ts';

function setup() {
  const db = createTestDb();
  const app = createApp(serverDeps({ db, config: loadConfig({}, { dbPath: ':memory:' }), now: () => new Date('2026-01-02T03:04:05Z') }));
  return { db, app };
}

/** Uploads files: the request queues an import job; resolves with the job's per-file report once it finished. */
async function imported(app: ReturnType<typeof setup>['app'], request: RequestInit) {
  const res = await app.request('/api/imports', request);
  expect(res.status, 'the upload is saved and its import queued').toBe(202);
  const job = await waitForJob(app, ((await res.json()) as { id: number }).id);
  expect(job.state).toBe('completed');
  return job.result as { files: Record<string, unknown>[]; totals: Record<string, unknown> };
}

const documentCount = (db: Db) => db.get<{ n: number }>(sql`SELECT count(*) AS n FROM documents`).n;

/** A report line with the counts a file that stored nothing has; spread and override. */
const line = { rows: 0, documents: 0, unchanged: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, rejects: [], warningCount: 0, warnings: [], importId: null };
const zeroTotals = { files: 0, imported: 0, unchanged: 0, failed: 0, interrupted: 0, documents: 0, unchangedDocuments: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, warnings: 0 };

function upload(files: [string, string][], fields: Record<string, string> = {}) {
  const fd = new FormData();
  for (const [name, content] of files) fd.append('files', new File([content], name));
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return { method: 'POST', body: fd };
}

describe('corpus API', () => {
  it('loads the demo corpus once: 10 fictional documents from 4 sources, then 10 unchanged', async () => {
    const { db, app } = setup();
    const first = await (await app.request('/api/imports/demo', { method: 'POST' })).json();
    expect(first.totals).toMatchObject({ files: 10, imported: 10, failed: 0, documents: 10 });
    const again = await (await app.request('/api/imports/demo', { method: 'POST' })).json();
    expect(again.totals).toMatchObject({ files: 10, imported: 0, unchanged: 10, documents: 0, unchangedDocuments: 10 });
    const { sources } = await (await app.request('/api/sources')).json();
    expect(sources.map((s: { name: string; documentCount: number }) => [s.name, s.documentCount])).toEqual([
      ['Caspian Ledger', 1],
      ['Eurasian Horizon Review', 3],
      ['Meridian Policy Desk', 3],
      ['Northwind Herald', 3],
    ]);
    expect(documentCount(db)).toBe(10);
  });

  it('saves uploaded files, queues their import job at once, and its result is the per-file report', async () => {
    const { app } = setup();
    const res = await app.request('/api/imports', upload([['a.txt', 'First line\n\nBody text here.'], ['rows.csv', 'text,title\nRow text.,Row title\n'], ['x.pdf', '%PDF']], { source: 'Upload Weekly', published: '2025-05' }));
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { id: number; kind: string; summary: string };
    expect(queued).toMatchObject({ kind: 'import', summary: 'import of 3 files (a.txt, rows.csv, x.pdf)' });
    const job = await waitForJob(app, queued.id);
    expect(job).toMatchObject({ state: 'completed', progress: { phase: 'importing', unit: 'bytes', failed: 1 } });
    expect(job.result).toEqual({
      files: [
        { ...line, file: 'a.txt', status: 'imported', rows: 1, documents: 1, passages: 2, importId: 1 },
        { ...line, file: 'rows.csv', status: 'imported', rows: 1, documents: 1, passages: 1, importId: 2 },
        { ...line, file: 'x.pdf', status: 'failed', error: 'x.pdf: unsupported file type ".pdf" (use .txt, .md, .html, .csv, .tsv, .jsonl, .json, .xlsx (row files also as .gz))' },
      ],
      totals: { ...zeroTotals, files: 3, imported: 2, failed: 1, documents: 2, passages: 3 },
    });
    const page = await (await app.request('/api/documents')).json();
    expect(page.documents.map((d: { title: string; sourceName: string; published: string }) => [d.title, d.sourceName, d.published])).toEqual([
      ['Row title', 'Upload Weekly', '2025-05'],
      ['First line', 'Upload Weekly', '2025-05'],
    ]);
  });

  it('applies an uploaded manifest.json to the files it names and refuses one naming a file not uploaded', async () => {
    const { db, app } = setup();
    const manifest = JSON.stringify([{ file: 'a.md', title: 'Manifest title', source: 'Manifest Source', published: '2020' }]);
    const ok = await imported(app, upload([['manifest.json', manifest], ['a.md', 'Text.']]));
    expect(ok.files).toEqual([{ ...line, file: 'a.md', status: 'imported', rows: 1, documents: 1, passages: 1, importId: 1 }]);
    expect((await (await app.request('/api/documents')).json()).documents[0]).toMatchObject({ title: 'Manifest title', sourceName: 'Manifest Source', publishedPrecision: 'year' });
    const bad = await app.request('/api/imports', upload([['manifest.json', JSON.stringify([{ file: 'missing.md' }])], ['b.md', 'Other.']]));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'bad_manifest', message: 'manifest.json names missing.md, which was not uploaded' } });
    expect(documentCount(db)).toBe(1);
  });

  it('reports rejected rows of an uploaded row file with line, column and reason, and imports the rest; a row nested 5,000 deep fails alone', async () => {
    const { db, app } = setup();
    const deep = `{"text":"x","n":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const body = await imported(app, upload([['rows.csv', 'text,date\nGood.,2024-01-02\n,2024-01-03\nAlso good.,someday\n'], ['deep.jsonl', `{"text":"Fine."}\n${deep}\n`]]));
    expect(body.files[0]).toMatchObject({ status: 'imported', documents: 2, rejected: 1, rejects: [{ line: 3, column: 'text', reason: 'no text' }], warningCount: 1 });
    expect(body.files[1]).toMatchObject({ status: 'imported', documents: 1, rejected: 1, rejects: [{ line: 2, column: null, reason: 'line 2 nests arrays or objects 5001 levels deep (at most 64)' }] });
    expect(documentCount(db)).toBe(3);
  });

  it('previews a row file: columns, first rows and the proposed mapping, storing nothing', async () => {
    const { db, app } = setup();
    const fd = new FormData();
    fd.append('file', new File(['id,headline,body,section\nA-1,First,Body one.,World\nA-2,Second,Body two.,Sport\n'], 'news.csv'));
    const res = await app.request('/api/imports/preview', { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    const p = await res.json();
    expect([p.format, p.columns, p.rows.length, p.mapping.text, p.mapping.title, p.mapping.id, p.metadata, p.error]).toEqual(['csv', ['id', 'headline', 'body', 'section'], 2, 'body', 'headline', 'id', ['section'], null]);
    expect(documentCount(db)).toBe(0);
    const single = new FormData();
    single.append('file', new File(['Just text.'], 'a.txt'));
    const refused = await app.request('/api/imports/preview', { method: 'POST', body: single });
    expect(refused.status).toBe(400);
  });

  it('refuses an upload over the request limit with 413 and a message naming the limits', async () => {
    const { db, app } = setup();
    const res = await app.request('/api/imports', {
      method: 'POST',
      body: new Uint8Array(8),
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(MAX_UPLOAD_BYTES + 1) },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'upload is over the 64 MiB limit per request (import larger row files with the CLI: framescope import FILE)' } });
    expect(documentCount(db)).toBe(0);
  });

  it('searches documents in title, author and text, filters by source and pages', async () => {
    const { app } = setup();
    await app.request('/api/imports/demo', { method: 'POST' });
    const grain = await (await app.request('/api/documents?q=GRAIN')).json();
    expect(grain.documents.map((d: { title: string }) => d.title).sort()).toEqual(['A Common Market Is Our Shared Shield', 'The Grain Corridor: Winners, Losers and the Numbers']);
    const byAuthor = await (await app.request('/api/documents?q=Ferreira')).json();
    expect(byAuthor.total).toBe(2);
    const { sources } = await (await app.request('/api/sources')).json();
    const northwind = sources.find((s: { name: string }) => s.name === 'Northwind Herald');
    const p1 = await (await app.request(`/api/documents?sourceId=${northwind.id}&pageSize=2&page=1`)).json();
    const p2 = await (await app.request(`/api/documents?sourceId=${northwind.id}&pageSize=2&page=2`)).json();
    expect([p1.total, p1.documents.length, p2.documents.length]).toEqual([3, 2, 1]);
    const noMatch = await (await app.request('/api/documents?q=%25')).json();
    expect(noMatch.total).toBe(0);
  });

  it('shows a document with its passages, exclusion reasons and item ids', async () => {
    const { app } = setup();
    await imported(app, upload([['n.txt', 'Headline\n\nArgument paragraph one.\n\nCopyright © 2025 Example News']], { source: 'Example' }));
    const page = await (await app.request('/api/documents')).json();
    const view = await (await app.request(`/api/documents/${page.documents[0].id}`)).json();
    expect(view.document).toMatchObject({ title: 'Headline', sourceName: 'Example', passageCount: 3, excludedCount: 1 });
    expect(view.passages.map((p: { text: string; excluded: boolean; excludedReason: string | null; start: number; end: number }) => [p.text, p.excluded, p.excludedReason, view.document.text.slice(p.start, p.end)])).toEqual([
      ['Headline', false, null, 'Headline'],
      ['Argument paragraph one.', false, null, 'Argument paragraph one.'],
      ['Copyright © 2025 Example News', true, 'copyright', 'Copyright © 2025 Example News'],
    ]);
    expect(view.passages.every((p: { itemId: number }) => Number.isInteger(p.itemId))).toBe(true);
    expect((await app.request('/api/documents/999')).status).toBe(404);
  });

  it('edits a source, refusing a name another source has', async () => {
    const { app } = setup();
    await app.request('/api/imports/demo', { method: 'POST' });
    const { sources } = await (await app.request('/api/sources')).json();
    const [a, b] = sources;
    const res = await app.request(`/api/sources/${a.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ country: 'Atlantis', url: 'https://example.org', notes: 'invented outlet' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: a.id, name: a.name, country: 'Atlantis', url: 'https://example.org', notes: 'invented outlet', updatedAt: '2026-01-02T03:04:05.000Z' });
    const clash = await app.request(`/api/sources/${a.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: b.name }) });
    expect(clash.status).toBe(409);
    expect((await clash.json()).error.message).toBe(`a source named "${b.name}" already exists (id ${b.id})`);
  });

  it('describes every corpus route in the OpenAPI document', async () => {
    const { app } = setup();
    const doc = await (await app.request('/api/openapi.json')).json();
    for (const [path, method] of [
      ['/api/sources', 'get'],
      ['/api/sources/{id}', 'get'],
      ['/api/sources/{id}', 'patch'],
      ['/api/documents', 'get'],
      ['/api/documents/{id}', 'get'],
      ['/api/imports', 'post'],
      ['/api/imports/demo', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
