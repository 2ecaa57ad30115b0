import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { createTestDb } from '../testing.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { runImport } from '../ingest/import.ts';
import { bytesSource } from '../ingest/sources.ts';
import { exportBytes, orderBy, readCsv, readJsonl } from './testing.ts';

/**
 * The columns a document-level export carries into another Framescope instance. The rest is
 * provenance of this instance and naturally differs after an import: ids, final_origin
 * (import), review_status (reviewed), the suggestions (none were made there), the deciding
 * review (an import review by `import:<name>`), codebook columns, reviewers and agreement.
 */
const DATA_COLUMNS = ['source', 'source_country', 'title', 'author', 'published', 'published_precision', 'url', 'language', 'text', 'content_hash', 'final_label', 'final_stance', 'final_themes'];

function seedForRoundTrip(db: Db): void {
  const docs = seedCorpus(db, [
    {
      name: 'Outlet "A", Ltd',
      documents: [
        {
          title: '=Formula-looking, "quoted" title',
          published: '2024-10-15',
          passages: [{ text: '=SUM(A1) opens this article' }, { text: 'Quotes " and commas, emoji 🕊️, Hebrew שלום and Arabic مرحبا\nwith a line break.' }],
        },
        { title: 'Second', published: '2022-07', passages: [{ text: '-a dash first' }, { text: '@handle and +plus' }] },
        { title: "'=an apostrophe the title really has", published: '2021', passages: [{ text: "'+this text really begins with an apostrophe" }, { text: '＝ and a full-width equals' }] },
      ],
    },
    { name: 'Outlet B', documents: [{ title: 'Unlabelled', published: '2016', passages: [{ text: 'Nothing decided here.' }] }] },
  ]);
  db.$client.prepare(`UPDATE sources SET country = 'BY' WHERE name = 'Outlet B'`).run();
  db.$client.prepare(`UPDATE documents SET author = 'A. Writer', url = 'https://example.org/a' WHERE id = ?`).run(docs[0]!.id);
  addSuggestion(db, docs[0]!.itemId, { label: 'analytical', stance: 0 });
  addReview(db, docs[0]!.itemId, { reviewer: 'ann', action: 'edit', label: 'critical', stance: -2, themes: ['sovereignty', 'sanctions'] });
  addSuggestion(db, docs[1]!.itemId, { label: 'integrationist', stance: 1, themes: ['union-state'] });
}

function dataOf(jsonl: Buffer): Record<string, unknown>[] {
  return readJsonl(jsonl)
    .map((row) => Object.fromEntries(DATA_COLUMNS.map((c) => [c, row[c]])))
    .sort((a, b) => String(a.content_hash).localeCompare(String(b.content_hash)));
}

describe('export → import → export round trip', () => {
  for (const format of ['jsonl', 'csv'] as const) {
    it(`re-imports a document-level ${format.toUpperCase()} export into a fresh database with identical data and labels as import reviews`, async () => {
      const origin = createTestDb();
      seedForRoundTrip(origin);
      const first = exportBytes(origin, { format, level: 'document', status: 'all' });
      expect(first.total).toBe(4);

      const copy = createTestDb();
      const report = await runImport(copy, [bytesSource(`dataset.${format}`, first.bytes)], { origin: 'cli', importName: 'origin' });
      expect(report.totals).toMatchObject({ documents: 4, labels: 2, failed: 0 });

      const before = dataOf(exportBytes(origin, { format: 'jsonl', level: 'document', status: 'all' }).bytes);
      const again = exportBytes(copy, { format: 'jsonl', level: 'document', status: 'all' }).bytes;
      expect(dataOf(again)).toEqual(before);

      const provenance = readJsonl(again)
        .filter((r) => r.final_label !== null)
        .map((r) => [r.final_origin, r.review_status, r.decided_by, r.import_name]);
      expect(provenance).toEqual([
        ['import', 'reviewed', 'import:origin', 'origin'],
        ['import', 'reviewed', 'import:origin', 'origin'],
      ]);

      // The second export in the same format carries the same data columns, read back independently.
      const second = exportBytes(copy, { format, level: 'document', status: 'all' }).bytes;
      const read = (bytes: Buffer): Record<string, unknown>[] =>
        orderBy(format === 'csv' ? readCsv(bytes).rows : readJsonl(bytes), (r) => String(r.content_hash)).map((r) => Object.fromEntries(DATA_COLUMNS.map((c) => [c, r[c]])));
      const [a, b] = [read(first.bytes), read(second)];
      expect(a).toHaveLength(4);
      expect(copy.$client.prepare(`SELECT title, text FROM documents WHERE title LIKE '''%'`).get()).toEqual({
        title: "'=an apostrophe the title really has",
        text: "'+this text really begins with an apostrophe\n\n＝ and a full-width equals",
      });
      expect(a.every((r) => DATA_COLUMNS.every((c) => c in r && r[c] !== undefined))).toBe(true);
      expect(b).toEqual(a);
    });
  }
});

describe('an export cut short', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    it(`is refused whole on re-import when a ${format.toUpperCase()} export lost its last rows or was cut mid-row`, async () => {
      const origin = createTestDb();
      seedForRoundTrip(origin);
      const whole = exportBytes(origin, { format, level: 'document', status: 'all' }).bytes;
      const lastRow = whole.subarray(0, whole.length - 1).lastIndexOf(format === 'csv' ? '\r\n' : '\n') + (format === 'csv' ? 2 : 1);
      const beforeMarker = whole.subarray(0, lastRow);
      const midRow = whole.subarray(0, Math.floor(lastRow * 0.7));
      const copy = createTestDb();
      for (const [name, bytes] of [['marker-lost', beforeMarker], ['mid-row', midRow]] as const) {
        const report = await runImport(copy, [bytesSource(`${name}.${format}`, bytes)], { origin: 'cli' });
        expect(report.totals, name).toMatchObject({ failed: 1, documents: 0 });
      }
      const [lost] = (await runImport(copy, [bytesSource(`cut.${format}`, beforeMarker)], { origin: 'cli' })).files;
      expect(lost!.error).toBe(`cut.${format}: this Framescope export is incomplete: its last row is not the end marker (framescope_export "end"), so the file was cut short; export it again`);
      expect(copy.$client.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 0 });
      expect((await runImport(copy, [bytesSource(`whole.${format}`, whole)], { origin: 'cli' })).totals).toMatchObject({ failed: 0, documents: 4 });
    });
  }
});
