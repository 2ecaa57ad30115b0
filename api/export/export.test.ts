import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { addReview, seedCorpus } from '../fixtures.ts';
import { createTestDb, testApp } from '../testing.ts';
import { PASSAGE_COLUMNS, DOCUMENT_COLUMNS } from './columns.ts';
import { csvInt, exportBytes, orderBy, readCsv, readJsonl, readParquet, seedLabelled, seedTricky, HIDDEN_FORMULA_TEXTS, TRICKY_TEXTS } from './testing.ts';

/** The tricky texts a spreadsheet could not run: written to CSV as they are. */
const SAFE_IN_CSV = new Set<string>([TRICKY_TEXTS[0], TRICKY_TEXTS[1], TRICKY_TEXTS[2], 'A plain passage.']);

describe('export formats read back by independent readers (hyparquet for Parquet, papaparse for CSV)', () => {
  it('writes every passage text exactly in JSONL and Parquet, and neutralised but otherwise exact in CSV', async () => {
    const db = createTestDb();
    seedTricky(db);
    const query = { level: 'passage', status: 'all' };

    const jsonl = exportBytes(db, { ...query, format: 'jsonl' });
    const jsonRows = readJsonl(jsonl.bytes);
    expect(jsonRows.map((r) => r.text)).toEqual([...TRICKY_TEXTS, 'A plain passage.']);

    const parquet = await readParquet(exportBytes(db, { ...query, format: 'parquet' }).bytes);
    expect(orderBy(parquet.rows, (r) => r.passage_id as bigint).map((r) => r.text)).toEqual([...TRICKY_TEXTS, 'A plain passage.']);

    const csv = orderBy(readCsv(exportBytes(db, { ...query, format: 'csv' }).bytes).rows, (r) => csvInt(r.passage_id));
    const expected = [...TRICKY_TEXTS, 'A plain passage.'].map((t) => (SAFE_IN_CSV.has(t) ? t : `'${t}`));
    expect(csv.map((r) => r.text)).toEqual(expected);
    expect(csv[0]).toMatchObject({ title: 'Tricky, "quoted" title', source: 'Outlet "A", Ltd' });
  });

  it('neutralises cells starting with = + - @ (also after whitespace or a line break, and full-width), tab and carriage return in CSV only', async () => {
    const db = createTestDb();
    seedTricky(db);
    seedCorpus(db, [{ name: 'Outlet C', documents: [{ title: 'Hidden', passages: HIDDEN_FORMULA_TEXTS.map((text) => ({ text })) }] }]);
    const csv = exportBytes(db, { format: 'csv', level: 'passage', status: 'all' }).bytes.toString('utf8');
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(csv).toContain(",'+7 495 123 45 67 is a phone number,");
    expect(csv).toContain(",'-the dash that starts this passage,");
    expect(csv).toContain(",'@mention at the start,");
    expect(csv).toContain(",'\tstarts with a tab,");
    expect(csv).toContain(`,"'\rstarts with a carriage return",`);
    expect(csv).toContain(",' =1+1 after a space,");
    expect(csv).toContain(`,"'\n=cmd after a line break",`);
    expect(csv).toContain(`,"'＝HYPERLINK(""http://evil.example"") in full width",`);
    expect(csv).toContain(",''=already starts with an apostrophe,");
    expect(csv).toContain(",'plain apostrophe stays,");
    const jsonl = exportBytes(db, { format: 'jsonl', level: 'passage', status: 'all' }).bytes.toString('utf8');
    expect(jsonl).toContain('"text":"=HYPERLINK(\\"http://evil.example\\",\\"click\\")"');
    expect(jsonl).toContain('"text":"\'=already starts with an apostrophe"');
    expect(jsonl).not.toContain("''=");
  });

  it('gives Parquet typed columns, with themes as lists', async () => {
    const db = createTestDb();
    seedLabelled(db);
    const { bytes } = exportBytes(db, { format: 'parquet', level: 'passage', status: 'final' });
    const read = await readParquet(bytes);
    const rows = orderBy(read.rows, (r) => r.passage_id as bigint);
    const { types } = read;
    expect(Object.keys(types)).toEqual(PASSAGE_COLUMNS.map((c) => c.name));
    expect(types).toMatchObject({
      passage_id: 'INT64',
      passage_start: 'INT64',
      text: 'STRING',
      final_stance: 'INT64',
      final_themes: 'LIST<STRING>',
      suggestion_confidence: 'DOUBLE',
      bulk_accept: 'BOOLEAN',
      excluded: 'BOOLEAN',
      reviewers: 'LIST<STRING>',
    });
    expect(read.numRows).toBe(4);
    // The values decode as those types: ids are integers (bigint), text is a string, themes a list of strings.
    for (const r of rows) {
      expect(typeof r.passage_id).toBe('bigint');
      expect(typeof r.passage_start).toBe('bigint');
      expect(typeof r.text).toBe('string');
      expect(typeof r.bulk_accept === 'boolean' || r.bulk_accept === null).toBe(true);
      expect(Array.isArray(r.final_themes) && (r.final_themes as unknown[]).every((t) => typeof t === 'string')).toBe(true);
    }
    expect(rows.map((r) => r.final_stance)).toEqual([-2n, 1n, 0n, 2n]);
    expect(rows.map((r) => [r.final_label, r.final_themes])).toEqual([
      ['critical', ['sanctions', 'sovereignty']],
      ['integrationist', ['sovereignty', 'union-state']],
      ['analytical', []],
      ['integrationist', ['economic-integration']],
    ]);
  });

  it('joins themes with | in CSV and keeps the column names and count', async () => {
    const db = createTestDb();
    seedLabelled(db);
    const { bytes } = exportBytes(db, { format: 'csv', level: 'passage', status: 'final' });
    const { rows, header } = readCsv(bytes);
    expect(header).toEqual(PASSAGE_COLUMNS.map((c) => c.name));
    // CSV has no null: no themes is an empty cell.
    expect(rows.map((r) => r.final_themes)).toEqual(['sanctions|sovereignty', 'sovereignty|union-state', '', 'economic-integration']);
    expect(rows.every((r) => r.framescope_export === '2')).toBe(true);
  });

  it('writes a UTF-8 byte order mark only when asked', () => {
    const db = createTestDb();
    seedTricky(db);
    const plain = exportBytes(db, { format: 'csv', level: 'document', status: 'all' }).bytes;
    const bom = exportBytes(db, { format: 'csv', level: 'document', status: 'all', bom: '1' }).bytes;
    expect([...plain.subarray(0, 3)]).toEqual([...Buffer.from('fra')]);
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe('export rows and provenance', () => {
  it('keeps only human decisions for status=reviewed, adds model suggestions for final and everything for all', () => {
    const db = createTestDb();
    seedLabelled(db);
    const count = (status: string) => exportBytes(db, { format: 'jsonl', level: 'passage', status }).total;
    // 9 + 2 passages, one excluded; reviewed: 2 (edit, bulk accept) — the disputed one has no human label.
    expect([count('reviewed'), count('final'), count('all')]).toEqual([2, 4, 10]);
  });

  it('says where each final label comes from, who decided, whether in bulk, and how reviewers agreed', () => {
    const db = createTestDb();
    const { a } = seedLabelled(db);
    const rows = readJsonl(exportBytes(db, { format: 'jsonl', level: 'passage', status: 'all' }).bytes);
    const byItem = new Map(rows.map((r) => [r.item_id, r]));
    const modelOnly = byItem.get(a.passageItemIds[0]!)!;
    expect(modelOnly).toMatchObject({
      final_label: 'critical',
      final_origin: 'model',
      review_status: 'unreviewed',
      suggestion_model: 'model-x',
      suggestion_prompt_version: 'passage-v2',
      suggestion_confidence: 0.9,
      codebook_name: 'post-soviet-integration',
      decided_by: null,
      reviewers: [],
    });
    const edited = byItem.get(a.passageItemIds[1]!)!;
    expect(edited).toMatchObject({ final_label: 'integrationist', final_stance: 1, final_origin: 'reviewer', suggested_label: 'analytical', decided_by: 'ann', decision_action: 'edit', bulk_accept: false });
    expect(byItem.get(a.passageItemIds[2]!)).toMatchObject({ final_origin: 'bulk', decision_origin: 'bulk', people_label: null, decided_by: 'bob', bulk_accept: true });
    const disputed = byItem.get(a.passageItemIds[3]!)!;
    expect(disputed).toMatchObject({ review_status: 'disputed', final_label: null, final_origin: null, reviewers: ['ann', 'bob'], review_count: 2, reviewer_agreement: 0 });
    expect((disputed.reviews as { reviewer: string; label: string; standing: boolean }[]).map((r) => [r.reviewer, r.label, r.standing])).toEqual([
      ['ann', 'critical', true],
      ['bob', 'analytical', true],
    ]);
    const unlabelled = byItem.get(a.passageItemIds[4]!)!;
    expect(unlabelled).toMatchObject({ final_label: null, final_origin: null, suggestion_count: 0, suggestions: null });
  });

  it('drops an undone decision from reviewers and agreement', () => {
    const db = createTestDb();
    const { a } = seedLabelled(db);
    const item = a.passageItemIds[3]!;
    const bobs = addReview(db, item, { reviewer: 'carol', action: 'accept', label: 'critical' });
    addReview(db, item, { reviewer: 'carol', action: 'undo', undoesReviewId: bobs });
    const row = readJsonl(exportBytes(db, { format: 'jsonl', level: 'passage', status: 'all' }).bytes)
      .find((r) => r.item_id === item)!;
    expect(row).toMatchObject({ reviewers: ['ann', 'bob'], review_count: 2 });
  });

  it('leaves excluded passages out unless asked, and then says why they are excluded', () => {
    const db = createTestDb();
    seedLabelled(db);
    const rows = (q: Record<string, string>) =>
      readJsonl(exportBytes(db, { format: 'jsonl', level: 'passage', status: 'all', ...q }).bytes);
    expect(rows({}).some((r) => r.excluded === true)).toBe(false);
    const excluded = rows({ includeExcluded: '1' }).filter((r) => r.excluded === true);
    expect(excluded.map((r) => [r.text, r.excluded_reason, r.excluded_by])).toEqual([['Please donate today.', 'donation', 'auto']]);
  });

  it('exports documents with the full text and the document columns', () => {
    const db = createTestDb();
    const { a } = seedLabelled(db);
    const rows = readJsonl(exportBytes(db, { format: 'jsonl', level: 'document', status: 'reviewed' }).bytes);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(DOCUMENT_COLUMNS.map((c) => c.name));
    expect(rows[0]).toMatchObject({ document_id: a.id, text: TRICKY_TEXTS.join('\n\n'), final_label: 'critical', final_themes: ['ukraine-war'], published: '2024-10-15', published_precision: 'day' });
  });

  it('filters by source, date range, label, theme, codebook and model, counting exactly the rows it writes', () => {
    const db = createTestDb();
    seedLabelled(db);
    // The count (the rows header, progress) reads fewer joins than the rows themselves: both must agree.
    const total = (q: Record<string, string>) => {
      const out = exportBytes(db, { format: 'jsonl', level: 'passage', status: 'final', ...q });
      expect(readJsonl(out.bytes)).toHaveLength(out.total);
      return out.total;
    };
    expect(total({ sources: 'Outlet B' })).toBe(1);
    expect(total({ from: '2024', to: '2024-12' })).toBe(3);
    expect(total({ to: '2023' })).toBe(1);
    expect(total({ labels: 'integrationist,analytical' })).toBe(3);
    expect(total({ themes: 'sovereignty' })).toBe(2);
    expect(total({ codebook: 'post-soviet-integration@1' })).toBe(4);
    expect(total({ model: 'model-x' })).toBe(1);
    expect(total({ provider: 'local', promptVersion: 'passage-v1' })).toBe(3);
    expect(total({ codebook: 'post-soviet-integration@1', from: '2024', syndicated: 'exclude', status: 'all' })).toBe(4);
  });
});

describe('empty exports', () => {
  it('writes a CSV header, a Parquet schema and says why no rows matched', async () => {
    const db = createTestDb();
    seedTricky(db);
    const csv = exportBytes(db, { format: 'csv', level: 'passage', status: 'reviewed' });
    expect(csv.emptyReason).toBe('no passage has a human decision yet (status=reviewed): review some, or export status=final or all');
    expect(csv.bytes.toString('utf8')).toBe(`${PASSAGE_COLUMNS.map((c) => c.name).join(',')}\r\nend,0${','.repeat(PASSAGE_COLUMNS.length - 2)}\r\n`);
    const parquet = exportBytes(db, { format: 'parquet', level: 'document', status: 'reviewed' });
    const read = await readParquet(parquet.bytes);
    expect(read.rows).toEqual([]);
    expect(read.numRows).toBe(0);
    expect(Object.keys(read.types)).toEqual(DOCUMENT_COLUMNS.map((c) => c.name));
    expect(read.types.final_themes).toBe('LIST<STRING>');
    expect(read.types.document_id).toBe('INT64');
    expect(readCsv(csv.bytes)).toEqual({ header: PASSAGE_COLUMNS.map((c) => c.name), rows: [] });
  });

  it('explains an empty database', () => {
    const db = createTestDb();
    expect(exportBytes(db, { format: 'jsonl', level: 'document', status: 'all' }).emptyReason).toBe('no documents in the database yet: import documents first');
  });
});

describe('dataset bundle', () => {
  it('zips the data, the codebook used and a dataset card with counts, agreement, models and filters', async () => {
    const db = createTestDb();
    const { a } = seedLabelled(db);
    // A name holding a comma is given by id (the list is comma-separated).
    const { bytes, fileName } = exportBytes(db, { format: 'parquet', level: 'passage', status: 'all', bundle: '1', sources: String(a.sourceId) });
    expect(fileName).toBe('framescope-passage-all-parquet.zip');
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(['framescope-passage-all.parquet', 'codebook-post-soviet-integration-v1.json', 'README.md']);
    const data = await readParquet(files['framescope-passage-all.parquet']!);
    expect(data.rows).toHaveLength(9);
    expect(data.numRows).toBe(9);
    const codebook = JSON.parse(strFromU8(files['codebook-post-soviet-integration-v1.json']!)) as { labels: { id: string }[] };
    expect(codebook.labels.map((l) => l.id)).toEqual(['integrationist', 'critical', 'analytical']);
    const card = strFromU8(files['README.md']!);
    expect(card).toContain('9 rows, one per passage.');
    expect(card).toContain('| source | (none) | analytical | critical | integrationist | total |');
    expect(card).toContain('| Outlet "A", Ltd | 6 | 1 | 1 | 1 | 9 |');
    expect(card).toContain('- sources: Outlet "A", Ltd');
    expect(card).toContain('Items labelled by two or more reviewers: 1.');
    expect(card).toContain('- Percent agreement (share of reviewer pairs giving the same label, mean over items): 0.000');
    expect(card).toContain('| local / model-x / prompt passage-v2 / codebook 1 | 1 |');
    expect(card).toContain('Bulk accepts among the deciding reviews: 1.');
  });
});

describe('GET /api/export', () => {
  it('streams the file as an attachment with its row count', async () => {
    const { app, deps } = testApp();
    seedLabelled(deps.db);
    const res = await app.request('/api/export?format=jsonl&level=passage&status=reviewed');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="framescope-passage-reviewed.jsonl"');
    expect(res.headers.get('x-framescope-export-rows')).toBe('2');
    const rows = readJsonl(new Uint8Array(await res.arrayBuffer()));
    expect(rows.map((r) => r.final_label)).toEqual(['integrationist', 'analytical']);
  });

  it('says in a header why an export is empty', async () => {
    const { app } = testApp();
    const res = await app.request('/api/export?format=csv&level=document&status=all');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-framescope-export-empty')).toBe('no documents in the database yet: import documents first');
    expect(await res.text()).toBe(`${DOCUMENT_COLUMNS.map((c) => c.name).join(',')}\r\nend,0${','.repeat(DOCUMENT_COLUMNS.length - 2)}\r\n`);
  });

  it('previews the row count, file name and filters without streaming', async () => {
    const { app, deps } = testApp();
    seedLabelled(deps.db);
    const res = await app.request('/api/export/preview?format=parquet&level=passage&status=final&labels=critical&bundle=1');
    expect(await res.json()).toEqual({
      rows: 1,
      emptyReason: null,
      fileName: 'framescope-passage-final-parquet.zip',
      filters: ['level: passage', 'status: final', 'excluded passages: left out', 'final labels: critical'],
    });
  });

  it('refuses an unknown label or source with a one-line 400', async () => {
    const { app, deps } = testApp();
    seedLabelled(deps.db);
    const label = await app.request('/api/export?format=csv&labels=pro-western');
    expect(label.status).toBe(400);
    expect(((await label.json()) as { error: { message: string } }).error.message).toBe(
      'labels: "pro-western" is not a label of the codebook (integrationist, critical, analytical)',
    );
    const source = await app.request('/api/export?sources=Nowhere');
    expect(((await source.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'unknown_source', message: 'sources: no source with the id or name "Nowhere"' });
    const format = await app.request('/api/export?format=xlsx');
    expect(format.status).toBe(400);
  });
});
