import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { documents, items, passages, reviews, reviewThemes, sources, users } from '../../db/schema/index.ts';
import { createTestDb } from '../testing.ts';
import { runImport, type FileReport, type ImportOptions, type ImportSource } from './import.ts';
import { collectFiles } from './manifest.ts';
import { MAX_FILE_BYTES } from './normalize.ts';
import { bytesSource, diskSource } from './sources.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

const input = (file: string, content: string | Uint8Array): ImportSource => bytesSource(file, content);

/** Imports one source and returns its report line. */
async function importFile(db: Db, source: ImportSource, opts: ImportOptions): Promise<FileReport> {
  return (await runImport(db, [source], opts)).files[0]!;
}

/** A report line with the counts of a file that stored nothing, for exact comparisons. */
const nothing = { rows: 0, documents: 0, unchanged: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, rejects: [], warningCount: 0, warnings: [], importId: null };

/** Row counts of every table an import writes. */
function counts(db: Db) {
  return db.get<Record<string, number>>(sql`SELECT
    (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM documents) AS documents,
    (SELECT count(*) FROM passages) AS passages, (SELECT count(*) FROM items) AS items,
    (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM reviews) AS reviews,
    (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM audit_log) AS audit`);
}

async function importCorpus(db: Db) {
  const { files, failures } = collectFiles([CORPUS]);
  expect(failures).toEqual([]);
  return runImport(db, files.map(diskSource), { origin: 'cli' });
}

const tmpDirs: string[] = [];
afterEach(() => {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('importing the shared corpus', () => {
  it('imports 5 documents from 5 sources with the manifest metadata and date precision', async () => {
    const db = createTestDb();
    const report = await importCorpus(db);
    expect(report.totals).toMatchObject({ files: 5, imported: 5, failed: 0, documents: 5 });
    expect(db.select({ name: sources.name }).from(sources).orderBy(asc(sources.name)).all().map((s) => s.name)).toEqual([
      'Arktos Journal',
      'Euromaidan Press',
      'RegTrends',
      'SB. Belarus Today',
      'Xusheng (WeChat official account lxlong20)',
    ]);
    const xusheng = db.select().from(documents).where(eq(documents.title, 'Post Soviet Union!')).get()!;
    expect(xusheng).toMatchObject({ author: 'Xusheng', published: '2022-07', publishedPrecision: 'month', publishedStart: '2022-07-01', url: null, language: 'en' });
    const dugin = db.select().from(documents).where(eq(documents.author, 'Alexander Dugin')).get()!;
    expect(dugin).toMatchObject({ title: 'The Return of the Eurasian Macro-State', published: '2025-04-15', publishedPrecision: 'day' });
    expect(dugin.text).toBe(readFileSync(join(CORPUS, 'dugin-eurasian-macro-state.txt'), 'utf8'));
  });

  it('reports 5 unchanged on a second import and changes no counts', async () => {
    const db = createTestDb();
    await importCorpus(db);
    const before = counts(db);
    const again = await importCorpus(db);
    expect(again.files.map((f) => [f.status, f.unchanged, f.documents])).toEqual(Array(5).fill(['unchanged', 1, 0]));
    expect(counts(db)).toEqual(before);
  });

  it('stores passages whose offsets slice the document text exactly, with one item per passage and per document', async () => {
    const db = createTestDb();
    await importCorpus(db);
    for (const doc of db.select().from(documents).all()) {
      const ps = db.select().from(passages).where(eq(passages.documentId, doc.id)).orderBy(asc(passages.seq)).all();
      for (const p of ps) expect(doc.text.slice(p.start, p.end)).toBe(p.text);
      const its = db.select().from(items).where(eq(items.documentId, doc.id)).orderBy(asc(items.seq)).all();
      expect(its.length).toBe(ps.length + 1);
      expect(its[0]).toMatchObject({ level: 'document', seq: -1, passageId: null, textHash: doc.contentHash, excluded: false });
      its.slice(1).forEach((it, i) => {
        expect(it).toMatchObject({ level: 'passage', seq: i, passageId: ps[i]!.id, excluded: ps[i]!.excluded, sourceId: doc.sourceId });
        expect(it.randomKey).toBeGreaterThanOrEqual(0);
        expect(it.randomKey).toBeLessThan(1);
      });
    }
  });

  it('marks the Euromaidan notices and the SB captions excluded by the segmenter', async () => {
    const db = createTestDb();
    await importCorpus(db);
    const excluded = db
      .select({ text: passages.text, reason: passages.excludedReason, by: passages.excludedBy, auto: passages.autoExcludedReason })
      .from(passages)
      .where(eq(passages.excluded, true))
      .all();
    expect(excluded.find((p) => p.text.startsWith('Copyright ©'))).toEqual({ text: 'Copyright © 2024', reason: 'copyright', by: 'auto', auto: 'copyright' });
    expect(excluded.find((p) => p.text.startsWith('You could close this page'))?.reason).toBe('donation');
    expect(excluded.find((p) => p.text.includes('ad blocker'))?.reason).toBe('adblock');
    expect(excluded.filter((p) => p.reason === 'caption')).toHaveLength(8);
  });
});

describe('importing row files', () => {
  it('detects Framescope export columns in a CSV, strips formula-neutralising quotes and stores labels as import reviews', async () => {
    const db = createTestDb();
    const csv = [
      'framescope_export,document_title,source_name,document_published,content,final_label,final_stance,final_themes',
      `1,"'=Union now",Northwind Herald,2024-03,"'-Integration is the only road.\n\nSecond paragraph.",integrationist,2,sovereignty|union-state`,
      '1,Plain,Northwind Herald,2024,Another text.,,,',
    ].join('\n');
    const report = await importFile(db, input('gold.csv', csv), { origin: 'cli' });
    expect(report).toMatchObject({ file: 'gold.csv', status: 'imported', rows: 2, documents: 2, unchanged: 0, passages: 3, labels: 1, rejected: 0 });
    const doc = db.select().from(documents).where(eq(documents.title, '=Union now')).get()!;
    expect(doc).toMatchObject({ text: '-Integration is the only road.\n\nSecond paragraph.', published: '2024-03', publishedPrecision: 'month' });
    const docItem = db.select().from(items).where(eq(items.documentId, doc.id)).orderBy(asc(items.seq)).get()!;
    expect(docItem).toMatchObject({ level: 'document', reviewStatus: 'reviewed', reviewedLabel: 'integrationist', reviewedStance: 2, finalOrigin: 'import' });
    const review = db.select().from(reviews).get()!;
    expect(review).toMatchObject({ itemId: docItem.id, action: 'edit', kind: 'import', label: 'integrationist', stance: 2 });
    expect(db.select().from(users).where(eq(users.id, review.reviewerId)).get()).toMatchObject({ name: 'import:gold', role: 'import' });
    expect(db.select({ t: reviewThemes.theme }).from(reviewThemes).all().map((r) => r.t).sort()).toEqual(['sovereignty', 'union-state']);
  });

  it('reads JSONL with a column map and themes as a JSON array, under the given import name', async () => {
    const db = createTestDb();
    const jsonl = '{"body":"One.","headline":"H1","outlet":"Eastgate Review","label":"critical","stance":-1,"themes":["sanctions"]}\n\n{"body":"Two.","headline":"H2","outlet":"Eastgate Review"}\n';
    const report = await importFile(db, input('rows.jsonl', jsonl), { origin: 'cli', map: { text: 'body' }, importName: 'coder-a' });
    expect(report).toMatchObject({ status: 'imported', documents: 2, labels: 1 });
    expect(db.select({ name: users.name }).from(users).all()).toEqual([{ name: 'import:coder-a' }]);
    expect(db.select({ title: documents.title, origin: documents.origin }).from(documents).all()).toEqual([
      { title: 'H1', origin: 'rows.jsonl#line 1' },
      { title: 'H2', origin: 'rows.jsonl#line 3' },
    ]);
  });

  it('normalises CRLF line endings to \\n and keeps the text otherwise exactly', async () => {
    const db = createTestDb();
    await importFile(db, input('a.txt', 'Title line\r\n\r\n  Body with  double  spaces.\r\nNext'), { origin: 'cli', meta: { source: 'S' } });
    expect(db.select({ text: documents.text, title: documents.title }).from(documents).get()).toEqual({ text: 'Title line\n\n  Body with  double  spaces.\nNext', title: 'Title line' });
  });

  it('extracts an HTML article without its scripts and styles', async () => {
    const db = createTestDb();
    const html = `<html lang="en"><head><title>Harbour talks</title><style>p{color:red}</style><script>alert("x")</script></head>
      <body><nav>Home</nav><article><h1>Harbour talks</h1><p>The ministers met on Tuesday to discuss the harbour.</p><script>steal()</script><p>They agreed on nothing at all.</p></article></body></html>`;
    const report = await importFile(db, input('page.html', html), { origin: 'upload', meta: { source: 'Web' } });
    expect(report.status).toBe('imported');
    const doc = db.select().from(documents).get()!;
    expect(doc.title).toBe('Harbour talks');
    expect(doc.text).toContain('The ministers met on Tuesday to discuss the harbour.\n\nThey agreed on nothing at all.');
    expect(doc.text).not.toMatch(/alert|steal|color/);
  });
});

describe('bad input is refused with a one-line reason and writes nothing', () => {
  const cases: [string, ImportSource, string, object?][] = [
    ['a binary file', input('photo.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])), 'photo.txt: binary file, not text (NUL byte at offset 8)'],
    ['invalid UTF-8', input('latin1.txt', new Uint8Array([0x48, 0x69, 0x20, 0xe9, 0x74, 0xe9])), 'latin1.txt: not valid UTF-8 (invalid byte 0xe9 at byte offset 3); save the file as UTF-8'],
    ['an empty file', input('empty.md', ''), 'empty.md: file is empty'],
    ['a file with no text', input('blank.txt', ' \n\n\t\n'), 'blank.txt: no text (the file holds only whitespace)'],
    [
      'a CSV with no text column',
      input('meta.csv', 'title,outlet\nA,B\n'),
      'meta.csv: no text column in the CSV header (looked for text, content, body, article, article_text, full_text, fulltext, maintext; columns: title, outlet); use --map text=<column>',
    ],
    ['HTML that is only scripts', input('script.html', '<html><head><script>var a = 1;</script></head><body><script>document.write("x")</script><style>b{}</style></body></html>'), 'script.html: HTML has no text outside scripts and styles'],
    [
      'a row file whose only row has an unknown label',
      input('labels.csv', 'text,label\nSome text.,propaganda\n'),
      'labels.csv: every row was rejected (1); first: line 2 (label): label "propaganda" is not in codebook post-soviet-integration 1 (labels: integrationist, critical, analytical)',
    ],
    ['a row file whose only row has an unknown theme', input('themes.jsonl', '{"text":"x","label":"critical","themes":["weather"]}\n'), 'themes.jsonl: every row was rejected (1); first: line 1 (themes): theme "weather" is not in codebook post-soviet-integration 1'],
    ['an unsupported file type', input('deck.pptx', 'x'), 'deck.pptx: unsupported file type ".pptx" (use .txt, .md, .html, .csv, .tsv, .jsonl, .json, .xlsx (row files also as .gz))'],
  ];
  for (const [what, inp, message, meta] of cases) {
    it(`refuses ${what}`, async () => {
      const db = createTestDb();
      await importFile(db, input('seed.txt', 'Existing text.'), { origin: 'cli', meta: { source: 'Seed' } });
      const before = counts(db);
      const report = await importFile(db, inp, { origin: 'cli', ...(meta ? { meta } : {}) });
      expect(report.status).toBe('failed');
      expect(report.error).toBe(message);
      expect(report).toMatchObject({ documents: 0, unchanged: 0, passages: 0, labels: 0, importId: null });
      expect(counts(db)).toEqual(before);
    });
  }

  it('refuses a single-document file over the size limit without reading it', async () => {
    const db = createTestDb();
    const before = counts(db);
    let opened = false;
    const report = await importFile(db, { file: 'huge.txt', size: MAX_FILE_BYTES + 1, open: () => ((opened = true), bytesSource('x', '').open()) }, { origin: 'cli' });
    expect(report).toEqual({ file: 'huge.txt', status: 'failed', ...nothing, error: 'huge.txt: file is 32 MiB, over the 32 MiB limit for one document (row files such as .csv and .jsonl have no limit)' });
    expect(opened).toBe(false);
    const inMemory = await importFile(db, input('huge2.txt', new Uint8Array(MAX_FILE_BYTES + 1024 * 1024).fill(0x61)), { origin: 'upload' });
    expect(inMemory.error).toBe('huge2.txt: file is 33 MiB, over the 32 MiB limit for one document (row files such as .csv and .jsonl have no limit)');
    expect(counts(db)).toEqual(before);
  });

  it('fails a manifest entry naming a missing file alone, keeping the folder\'s other files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-manifest-'));
    tmpDirs.push(dir);
    writeFileSync(join(dir, 'a.txt'), 'Present article.');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ file: 'a.txt', source: 'X' }, { file: 'gone.txt', source: 'X' }]));
    const { files, failures } = collectFiles([dir]);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'a.txt')]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toMatch(/^manifest\.json names gone\.txt, which does not exist in /);
  });

  it('keeps importing the other files when one fails', async () => {
    const db = createTestDb();
    const report = await runImport(db, [input('bad.csv', 'title\nx\n'), input('good.txt', 'Fine text.')], { origin: 'cli', meta: { source: 'S' } });
    expect(report.files.map((f) => f.status)).toEqual(['failed', 'imported']);
    expect(report.totals).toMatchObject({ files: 2, imported: 1, failed: 1, documents: 1 });
  });
});
