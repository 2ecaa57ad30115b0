import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { asc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { documents, importIssues, imports, passages } from '../../db/schema/index.ts';
import { createTestDb } from '../testing.ts';
import { seededRandom } from '../metrics/rng.ts';
import { runImport, type FileReport, type ImportOptions, type ImportSource } from './import.ts';
import { BATCH_DOCUMENTS } from './rowFile.ts';
import { bytesSource } from './sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'fs-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importOne(db: Db, source: ImportSource, opts: Partial<ImportOptions> = {}, hooks = {}): Promise<FileReport> {
  return (await runImport(db, [source], { origin: 'cli', ...opts }, hooks)).files[0]!;
}

const count = (db: Db, table: string) => db.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`))!.n;

/** 1,000 CSV rows, three of them bad: a ragged row, a row without text, an unknown label. */
function csvWithBadRows(): string {
  const lines = ['id,title,text,outlet,date,label'];
  for (let i = 1; i <= 1000; i++) {
    if (i === 100) lines.push(`${i},Ragged,"Text ${i}.",Wire,2024-01-02,critical,extra`);
    else if (i === 500) lines.push(`${i},Empty,"",Wire,2024-01-02,`);
    else if (i === 900) lines.push(`${i},Odd,"Text ${i}.",Wire,2024-01-02,propaganda`);
    else lines.push(`${i},Story ${i},"Article number ${i} says something.",Wire,2024-01-02,${i % 10 === 0 ? 'critical' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('row files: row-level errors', () => {
  it('imports 997 of 1,000 CSV rows and reports the 3 bad ones with line, column and reason', async () => {
    const db = createTestDb();
    const r = await importOne(db, bytesSource('news.csv', csvWithBadRows()));
    expect(r).toMatchObject({ status: 'imported', rows: 1000, documents: 997, rejected: 3, labels: 97 });
    expect(r.rejects).toEqual([
      { line: 101, column: null, reason: 'row has 7 fields but the header has 6' },
      { line: 501, column: 'text', reason: 'no text' },
      { line: 901, column: 'label', reason: 'label "propaganda" is not in codebook post-soviet-integration 1 (labels: integrationist, critical, analytical)' },
    ]);
    expect(count(db, 'documents')).toBe(997);
    expect(db.select({ kind: importIssues.kind, line: importIssues.line }).from(importIssues).all()).toEqual([
      { kind: 'rejected', line: 101 },
      { kind: 'rejected', line: 501 },
      { kind: 'rejected', line: 901 },
    ]);
    expect(db.select().from(imports).get()).toMatchObject({ state: 'complete', rowsCommitted: 1000, documentsImported: 997, rowsRejected: 3 });
  });

  it('with --strict imports none of the file and says how many rows are bad', async () => {
    const db = createTestDb();
    const r = await importOne(db, bytesSource('news.csv', csvWithBadRows()), { strict: true });
    expect(r.status).toBe('failed');
    expect(r.error).toBe('news.csv: 3 of 1000 rows rejected, so --strict imports none of the file; first: line 101: row has 7 fields but the header has 6');
    expect(r.rejects.map((x) => x.line)).toEqual([101, 501, 901]);
    expect([count(db, 'documents'), count(db, 'imports'), count(db, 'sources')]).toEqual([0, 0, 0]);
  });

  it('with --strict imports a clean file whole', async () => {
    const db = createTestDb();
    const r = await importOne(db, bytesSource('ok.csv', 'text,source\nOne.,A\nTwo.,B\n'), { strict: true });
    expect(r).toMatchObject({ status: 'imported', documents: 2, rejected: 0 });
  });

  it('writes the rejected CSV rows under the header to --rejects, ready to fix and import again', async () => {
    const db = createTestDb();
    const out = join(dir, 'rejects.csv');
    const r = await importOne(db, bytesSource('news.csv', csvWithBadRows()), { rejects: out });
    expect(r.rejectsFile).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(
      ['id,title,text,outlet,date,label', '100,Ragged,"Text 100.",Wire,2024-01-02,critical,extra', '500,Empty,"",Wire,2024-01-02,', '900,Odd,"Text 900.",Wire,2024-01-02,propaganda', ''].join('\n'),
    );
  });

  it('writes rejected JSONL lines as they were, gzipped when the rejects file ends in .gz', async () => {
    const db = createTestDb();
    const out = join(dir, 'rejects.jsonl.gz');
    const jsonl = '{"text":"Good."}\n{"text": 3, "bad\n{"title":"no text"}\n';
    const r = await importOne(db, bytesSource('a.jsonl', jsonl), { rejects: out });
    expect(r.rejects.map((x) => [x.line, x.reason.split(' (')[0]])).toEqual([
      [2, 'line 2 is not valid JSON'],
      [3, 'no text'],
    ]);
    expect(gunzipSync(readFileSync(out)).toString('utf8')).toBe('{"text": 3, "bad\n{"title":"no text"}\n');
  });

  it('rejects a JSONL row nested 5,000 levels deep alone, before parsing it', async () => {
    const db = createTestDb();
    const deep = `{"text":"deep","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = await importOne(db, bytesSource('deep.jsonl', `{"text":"Before."}\n${deep}\n{"text":"After."}\n`));
    expect(r).toMatchObject({ status: 'imported', documents: 2, rejected: 1 });
    expect(r.rejects).toEqual([{ line: 2, column: null, reason: 'line 2 nests arrays or objects 5001 levels deep (at most 64)' }]);
  });

  it('rejects a row holding bytes that are not UTF-8 and keeps the others', async () => {
    const db = createTestDb();
    const bytes = Buffer.concat([Buffer.from('text\nGood one.\n'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]), Buffer.from('Good two.\n')]);
    const r = await importOne(db, bytesSource('latin.csv', bytes));
    expect(r).toMatchObject({ documents: 2, rejected: 1, rejects: [{ line: 3, column: null, reason: 'row is not valid UTF-8 (save the file as UTF-8)' }] });
  });
});

describe('row files: dates, metadata, external ids', () => {
  it('keeps an article whose date cannot be read, with the raw value and a warning', async () => {
    const db = createTestDb();
    const r = await importOne(db, bytesSource('d.csv', 'text,published\nA text.,sometime in spring\nB text.,15 October 2024\n'));
    expect(r).toMatchObject({ documents: 2, rejected: 0, warningCount: 1 });
    expect(r.warnings).toEqual([{ line: 2, column: 'published', reason: 'published "sometime in spring" is not a date the import can read; kept as written (published_raw), date left empty' }]);
    const rows = db.select({ published: documents.published, precision: documents.publishedPrecision, raw: documents.publishedRaw }).from(documents).orderBy(asc(documents.id)).all();
    expect(rows).toEqual([
      { published: null, precision: null, raw: 'sometime in spring' },
      { published: '2024-10-15', precision: 'day', raw: '15 October 2024' },
    ]);
  });

  it('decides the order of ambiguous dates from a day over 12 elsewhere in the file', async () => {
    const db = createTestDb();
    const rows = ['text,date', 'One.,3/4/2024', ...Array.from({ length: 20 }, (_, i) => `Filler ${i}.,2024-01-01`), 'Last.,23/7/2017'];
    const r = await importOne(db, bytesSource('order.csv', rows.join('\n')));
    expect(r.warnings).toEqual([]);
    expect(db.select({ p: documents.published }).from(documents).where(eq(documents.text, 'One.')).get()).toEqual({ p: '2024-04-03' });
  });

  it('reads ambiguous dates by --date-order', async () => {
    const db = createTestDb();
    await importOne(db, bytesSource('order.csv', 'text,date\nOne.,3/4/2024\n'), { dateOrder: 'dmy' });
    expect(db.select({ p: documents.published }).from(documents).get()).toEqual({ p: '2024-04-03' });
  });

  it('keeps unmapped columns as metadata and the id column as the external id', async () => {
    const db = createTestDb();
    await importOne(db, bytesSource('m.csv', 'article_id,text,section,word_count\nA-17,Body.,World,120\nA-18,Other.,,\n'));
    const rows = db.select({ externalId: documents.externalId, metadata: documents.metadata }).from(documents).orderBy(asc(documents.id)).all();
    expect(rows).toEqual([
      { externalId: 'A-17', metadata: { section: 'World', word_count: '120' } },
      { externalId: 'A-18', metadata: null },
    ]);
  });

  it('removes NUL characters from text and single-line fields, with a warning', async () => {
    const db = createTestDb();
    const r = await importOne(db, bytesSource('nul.jsonl', '{"text":"Te\\u0000xt.","title":"Ti\\u0000tle\\nsecond line"}\n'));
    expect(r.warnings).toEqual([{ line: 1, column: 'text', reason: '1 NUL characters removed from the text' }]);
    expect(db.select({ text: documents.text, title: documents.title }).from(documents).get()).toEqual({ text: 'Text.', title: 'Ti tle second line' });
  });
});

describe('row files: formats', () => {
  const expectTwo = (db: Db) =>
    expect(db.select({ text: documents.text, title: documents.title }).from(documents).orderBy(asc(documents.id)).all()).toEqual([
      { text: 'First body.', title: 'One' },
      { text: 'Second body.', title: 'Two' },
    ]);

  it('reads a gzipped CSV', async () => {
    const db = createTestDb();
    const r = await importOne(db, bytesSource('rows.csv.gz', gzipSync('title,text\nOne,First body.\nTwo,Second body.\n')));
    expect(r).toMatchObject({ status: 'imported', documents: 2 });
    expect(db.select({ format: imports.format, name: imports.name }).from(imports).get()).toEqual({ format: 'csv', name: 'rows' });
    expectTwo(db);
  });

  it('reads a TSV and a JSON array', async () => {
    const db = createTestDb();
    await importOne(db, bytesSource('rows.tsv', 'title\ttext\nOne\tFirst body.\nTwo\tSecond body.\n'));
    expectTwo(db);
    const db2 = createTestDb();
    await importOne(db2, bytesSource('rows.json', '[\n {"title":"One","text":"First body."},\n {"title":"Two","text":"Second body.", "tags":["a,b"]}\n]\n'));
    expectTwo(db2);
  });

  it('fails a JSON file that is not an array, and one cut off, keeping what came before', async () => {
    const db = createTestDb();
    expect((await importOne(db, bytesSource('obj.json', '{"text":"x"}'))).error).toBe('obj.json: a .json file must hold one array of objects ([{...}, {...}]); for one object per line use .jsonl');
    const cut = await importOne(db, bytesSource('cut.json', '[{"text":"Kept."},{"text":"Lost'));
    expect(cut.status).toBe('failed');
    expect(cut.error).toMatch(/^cut\.json: the JSON array is not closed \(the file may be cut off\)/);
  });

  it('reads the first sheet of an .xlsx workbook, dates and numbers as text', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('articles');
    sheet.addRow(['title', 'text', 'published', 'views']);
    sheet.addRow(['One', 'First body.', new Date(Date.UTC(2024, 9, 15)), 12]);
    sheet.addRow(['Two', 'Second body.', '2024-11', 7]);
    wb.addWorksheet('notes').addRow(['ignored']);
    const path = join(dir, 'sheet.xlsx');
    await wb.xlsx.writeFile(path);
    const db = createTestDb();
    const r = await importOne(db, bytesSource('sheet.xlsx', readFileSync(path)));
    expect(r).toMatchObject({ status: 'imported', documents: 2, rejected: 0 });
    expectTwo(db);
    expect(db.select({ p: documents.published, m: documents.metadata }).from(documents).orderBy(asc(documents.id)).all()).toEqual([
      { p: '2024-10-15', m: { views: '12' } },
      { p: '2024-11', m: { views: '7' } },
    ]);
  });
});

describe('row files: batches, interruption and resume', () => {
  const vocabulary = 'harbour council grain treaty border tariff pipeline minister summit ballot rail customs steel wheat quota levy'.split(' ');
  /** n rows of 30 random words each, the same for the same n. */
  const many = (n: number) => {
    const rand = seededRandom(3);
    const words = () => Array.from({ length: 30 }, () => vocabulary[Math.floor(rand() * vocabulary.length)]).join(' ');
    return Array.from({ length: n }, (_, i) => JSON.stringify({ text: `Document ${i}: ${words()}.`, source: `S${i % 3}` })).join('\n');
  };

  it('stops at a batch when cancelled, leaves the import interrupted, and resumes from the checkpoint', async () => {
    const db = createTestDb();
    const source = bytesSource('big.jsonl', many(1_700));
    const controller = new AbortController();
    const progress: number[] = [];
    const first = await importOne(db, source, {}, { signal: controller.signal, onProgress: (p: { rows: number }) => (progress.push(p.rows), controller.abort()) });
    expect(first).toMatchObject({ status: 'interrupted', rows: BATCH_DOCUMENTS, documents: BATCH_DOCUMENTS });
    expect(db.select({ state: imports.state, rows: imports.rowsCommitted }).from(imports).get()).toEqual({ state: 'interrupted', rows: BATCH_DOCUMENTS });
    expect(count(db, 'documents')).toBe(BATCH_DOCUMENTS);

    const second = await importOne(db, source);
    expect(second).toMatchObject({ status: 'imported', rows: 1_700, documents: 1_700, unchanged: 0, resumedAt: BATCH_DOCUMENTS, importId: first.importId });
    expect(db.select({ state: imports.state, rows: imports.rowsCommitted, docs: imports.documentsImported }).from(imports).all()).toEqual([{ state: 'complete', rows: 1_700, docs: 1_700 }]);
    expect(count(db, 'documents')).toBe(1_700);
  });

  it('resumes an import a crash left running, and rolls it back instead with resume off', async () => {
    const db = createTestDb();
    const source = bytesSource('big.jsonl', many(1_200));
    const controller = new AbortController();
    await importOne(db, source, {}, { signal: controller.signal, onProgress: () => controller.abort() });
    // What a killed process leaves: the row still says running.
    db.update(imports).set({ state: 'running' }).run();
    const rolled = await importOne(db, source, {}, { resume: false });
    expect(rolled).toMatchObject({ status: 'imported', documents: 1_200 });
    expect(rolled.resumedAt).toBeUndefined();
    expect(db.select({ state: imports.state }).from(imports).all()).toEqual([{ state: 'complete' }]);
    expect(count(db, 'documents')).toBe(1_200);
    const orphans = (table: string) => db.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table} x LEFT JOIN documents d ON d.id = x.document_id WHERE d.id IS NULL`))!.n;
    expect([orphans('passages'), orphans('items'), orphans('document_bands')]).toEqual([0, 0, 0]);
    expect(count(db, 'document_bands')).toBe(1_200 * 10);
    // Two imports of 1,200 rows and a rollback of the first: 45-60 s on PostgreSQL, where every
    // insert is a round trip through the synchronous driver (the importer's per-row statements).
  }, 120_000);

  it('starts afresh, not resuming, when the file changed', async () => {
    const db = createTestDb();
    const controller = new AbortController();
    await importOne(db, bytesSource('big.jsonl', many(1_200)), {}, { signal: controller.signal, onProgress: () => controller.abort() });
    const r = await importOne(db, bytesSource('big.jsonl', `${many(1_200)}\n{"text":"one more"}`));
    expect(r.resumedAt).toBeUndefined();
    expect(r).toMatchObject({ documents: 701, unchanged: BATCH_DOCUMENTS });
    expect(db.select({ state: imports.state }).from(imports).orderBy(asc(imports.id)).all()).toEqual([{ state: 'interrupted' }, { state: 'complete' }]);
  });

  it('stores passages whose offsets slice the text for every row', async () => {
    const db = createTestDb();
    await importOne(db, bytesSource('p.jsonl', JSON.stringify({ text: 'Para one.\n\nPara two is here.\n\nCopyright © 2024 Wire' })));
    const doc = db.select().from(documents).get()!;
    for (const p of db.select().from(passages).all()) expect(doc.text.slice(p.start, p.end)).toBe(p.text);
  });
});
