import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Db } from '../../db/client.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { parseExportQuery } from './request.ts';
import { prepareExport } from './service.ts';

/**
 * Test helpers for exports: run an export to bytes, and read files back with DuckDB, an
 * independent reader (its own C++ CSV and Parquet parsers), never the writers' libraries.
 */

/** Texts that break naive writers: quotes, separators, newlines, emoji, right-to-left script, formula starts. */
export const TRICKY_TEXTS = [
  'He said "no", then left; a comma, a quote " and a backslash \\ stay.',
  'First line\nsecond line\n\nafter a blank line',
  'Emoji 🇺🇦🕊️ and right-to-left: שלום עולם and مرحبا بالعالم',
  '=HYPERLINK("http://evil.example","click")',
  '+7 495 123 45 67 is a phone number',
  '-the dash that starts this passage',
  '@mention at the start',
  '\tstarts with a tab',
  '\rstarts with a carriage return',
] as const;

/** One source with one document whose passages are TRICKY_TEXTS, plus a second, plainer source. */
export function seedTricky(db: Db) {
  return seedCorpus(db, [
    { name: 'Outlet "A", Ltd', documents: [{ title: 'Tricky, "quoted" title', published: '2024-10-15', passages: TRICKY_TEXTS.map((text) => ({ text })) }] },
    {
      name: 'Outlet B',
      documents: [
        {
          title: 'Plain',
          published: '2022-07',
          passages: [{ text: 'A plain passage.' }, { text: 'Please donate today.', excluded: true, reason: 'donation' }],
        },
      ],
    },
  ]);
}

/** Runs an export from raw query parameters and returns its bytes, row count and empty reason. */
export function exportBytes(db: Db, query: Record<string, string>): { bytes: Buffer; total: number; emptyReason: string | null; fileName: string } {
  const job = prepareExport(db, parseExportQuery(query), () => new Date('2026-01-15T12:00:00Z'));
  return { bytes: Buffer.concat([...job.chunks()]), total: job.plan.total, emptyReason: job.plan.emptyReason, fileName: job.fileName };
}

/** Reads a file with DuckDB: `sql` refers to the file as `FILE`. Returns plain JS rows and column types. */
export async function duckRead(bytes: Buffer, extension: string, sql: string): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-export-'));
  const path = join(dir, `data.${extension}`);
  writeFileSync(path, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const query = sql.replaceAll('FILE', `'${path}'`);
    const result = await connection.runAndReadAll(query);
    const described = await connection.runAndReadAll(`DESCRIBE ${query}`);
    const types = Object.fromEntries(described.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
    return { rows: result.getRowObjectsJS() as Record<string, unknown>[], types };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A small labelled corpus: model-only, reviewed, bulk-accepted, disputed and unlabelled items. */
export function seedLabelled(db: Db) {
  const docs = seedTricky(db);
  const a = docs[0]!;
  const b = docs[1]!;
  const p = a.passageItemIds;
  addSuggestion(db, p[0]!, { label: 'critical', stance: -2, themes: ['sovereignty', 'sanctions'], confidence: 0.9, model: 'model-x', promptVersion: 'passage-v2' });
  addSuggestion(db, p[1]!, { label: 'analytical', stance: 0, themes: ['union-state'] });
  addReview(db, p[1]!, { reviewer: 'ann', action: 'edit', label: 'integrationist', stance: 1, themes: ['union-state', 'sovereignty'] });
  addSuggestion(db, p[2]!, { label: 'analytical', stance: 0, themes: [] });
  addReview(db, p[2]!, { reviewer: 'bob', action: 'accept', label: 'analytical', stance: 0, themes: [], kind: 'bulk' });
  addSuggestion(db, p[3]!, { label: 'critical', stance: -1 });
  addReview(db, p[3]!, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1 });
  addReview(db, p[3]!, { reviewer: 'bob', action: 'edit', label: 'analytical', stance: 0 });
  addSuggestion(db, b.passageItemIds[0]!, { label: 'integrationist', stance: 2, themes: ['economic-integration'] });
  addSuggestion(db, a.itemId, { label: 'critical', stance: -1, themes: ['ukraine-war'] });
  addReview(db, a.itemId, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1, themes: ['ukraine-war'] });
  return { docs, a, b };
}
