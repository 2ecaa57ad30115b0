import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { createTestDb } from '../testing.ts';
import { runImport } from './import.ts';
import { segment } from './segment.ts';
import { bytesSource } from './sources.ts';

/**
 * Property-based tests: whatever the input, the segmenter's offsets slice the text exactly,
 * and an import either stores documents whose passages slice their text exactly or fails that
 * file alone with a one-line message; it never throws, and never leaves a partial write.
 */

/** Characters that matter to the readers: structure, quoting, escapes, line ends, NUL, multi-byte text. */
const TRICKY = ['a', 'b', 'Z', ' ', ' ', '\n', '\r', '\t', ',', '"', "'", '{', '}', '[', ']', ':', '\\', '=', '.', '©', 'é', 'ё', '😀', '\u0000', '\u200f', '#', '-', '1'];
const tricky = (maxLength: number) => fc.string({ unit: fc.constantFrom(...TRICKY), maxLength });
const anyText = fc.oneof(tricky(400), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }));

describe('segmenter properties', () => {
  it('slices every input exactly, in order, without overlaps or blank passages', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.string({ maxLength: 20 })), (raw, sourceName) => {
        const text = raw.replace(/\r\n?/g, '\n');
        const ps = segment(text, { sourceName });
        let end = 0;
        ps.forEach((p, i) => {
          expect(p.seq).toBe(i);
          expect(text.slice(p.start, p.end)).toBe(p.text);
          expect(p.start).toBeGreaterThanOrEqual(end);
          expect(p.text.trim()).not.toBe('');
          expect(p.excluded).toBe(p.reason !== null);
          end = p.end;
        });
      }),
      { numRuns: 400 },
    );
  });
});

const scalar = (db: Db, query: ReturnType<typeof sql>) => db.get<{ n: number }>(query)!.n;

/** Imports one generated file into `db` (next to a control file) and checks the outcome against the properties. */
async function importsOrFailsAlone(db: Db, file: string, bytes: Buffer | string) {
  const lastId = scalar(db, sql`SELECT coalesce(max(id), 0) AS n FROM documents`);
  const report = await runImport(db, [bytesSource(file, bytes), bytesSource('control.txt', `Control document after ${lastId}.`)], { origin: 'upload', meta: { source: `S${lastId}` } });
  const [r, control] = report.files;
  expect(control!.status).toBe('imported');
  if (r!.status === 'failed') {
    expect(r!.error).toMatch(new RegExp(`^${file.replaceAll('.', '\\.')}: \\S`));
    expect(r!.error).not.toContain('\n');
  } else {
    expect(['imported', 'unchanged']).toContain(r!.status);
  }
  for (const x of [...r!.rejects, ...r!.warnings]) expect(x.reason).not.toContain('\n');
  // No partial write: every import is complete, and exactly the reported documents were added.
  expect(scalar(db, sql`SELECT count(*) AS n FROM imports WHERE state <> 'complete'`)).toBe(0);
  expect(scalar(db, sql`SELECT count(*) AS n FROM documents WHERE id > ${lastId}`)).toBe(r!.documents + 1);
  const stored = db.all<{ text: string; start: number; end: number; passage: string }>(
    sql`SELECT d.text, p.start, p."end", p.text AS passage FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.id > ${lastId}`,
  );
  for (const d of stored) expect(d.text.slice(d.start, d.end)).toBe(d.passage);
}

describe('importer properties', () => {
  const row = fc.record({ text: anyText, title: fc.option(tricky(40)), outlet: fc.option(tricky(20)), date: fc.option(fc.oneof(tricky(12), fc.constantFrom('2024-10-15', '3/4/2024', '31/02/2024', 'Oct 15, 2024', '1729000000'))), label: fc.option(fc.constantFrom('critical', 'nope', '')) });

  it('any CSV or TSV text either imports or fails that file alone', async () => {
    const db = createTestDb();
    await fc.assert(
      fc.asyncProperty(fc.oneof(tricky(600), fc.array(row, { maxLength: 8 }).map((rows) => ['text,title,outlet,date,label', ...rows.map((r) => [r.text, r.title, r.outlet, r.date, r.label].map((v) => (v === null ? '' : `"${v.replaceAll('"', '""')}"`)).join(','))].join('\n'))), fc.boolean(), async (text, tsv) => {
        await importsOrFailsAlone(db, tsv ? 'rows.tsv' : 'rows.csv', tsv ? text.replaceAll(',', '\t') : text);
      }),
      { numRuns: 60 },
    );
  });

  it('any JSONL or JSON array either imports or fails that file alone', async () => {
    const db = createTestDb();
    const value = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), tie('v'), { maxKeys: 3 })) })).v;
    const objects = fc.array(fc.oneof(row.map((r) => JSON.stringify(r)), value.map((v) => JSON.stringify(v)), tricky(80)), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(objects, fc.constantFrom('jsonl', 'json', 'jsonl.gz'), async (lines, kind) => {
        const body = kind === 'json' ? `[${lines.join(',\n')}]` : lines.join('\n');
        await importsOrFailsAlone(db, `rows.${kind}`, kind.endsWith('.gz') ? gzipSync(body) : body);
      }),
      { numRuns: 60 },
    );
  });

  it('any bytes named as a row file or a document either import or fail that file alone', async () => {
    const db = createTestDb();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('x.csv', 'x.jsonl', 'x.json', 'x.xlsx', 'x.csv.gz', 'x.txt', 'x.html', 'x.md'), async (bytes, file) => {
        await importsOrFailsAlone(db, file, Buffer.from(bytes));
      }),
      { numRuns: 80 },
    );
  });
});
