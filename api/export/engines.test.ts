import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client.ts';
import { openPg } from '../../db/pg/client.ts';
import { copySqliteToPg } from '../../db/pg/copy.ts';
import { createTestPgDatabase, describePg, type TestPgDatabase } from '../../db/pg/testing.ts';
import { openAppDb } from '../db.ts';
import { addReview, addSuggestion } from '../fixtures.ts';
import { parseExportQuery } from './request.ts';
import { exportBytes, readJsonl, seedLabelled } from './testing.ts';

/**
 * The same data exported from SQLite and from PostgreSQL gives the same bytes: the export's
 * query is built for each engine (JSON functions, times inside JSON, index hints), and every
 * JSON value is written one way whichever engine built it. The PostgreSQL database is a
 * `migrate --to` copy of the SQLite one, so both hold the same rows.
 */

/** Seeds what the engines write differently: JSON key order and spacing, floats, times, booleans inside JSON, evidence, metadata. */
function seed(db: Db) {
  const { a, b } = seedLabelled(db);
  addSuggestion(db, a.passageItemIds[5]!, {
    label: 'analytical',
    stance: 1,
    themes: ['sanctions', 'sovereignty'],
    confidence: 0.8234567891234567,
    evidence: [{ quote: 'He said "no"', verified: true, start: 0, end: 12 }, { quote: 'not in the text', verified: false, start: null, end: null }],
  });
  addReview(db, a.passageItemIds[5]!, { reviewer: 'carol', action: 'edit', label: 'critical', stance: -2, themes: ['sovereignty'], note: 'Tone: "ironic", see =A1' });
  // Keys whose jsonb order (shorter keys first) differs from the order written, and values that need escaping.
  db.$client
    .prepare('UPDATE documents SET metadata = ? WHERE id = ?')
    .run(JSON.stringify({ section: 'Politics, "world"', a: '=1+1', desk: 'Moscow\nbureau', zz: 'эмоция 🕊️' }), a.id);
  db.$client.prepare('UPDATE documents SET metadata = ? WHERE id = ?').run(JSON.stringify({ 'long key name': '1', k: '2' }), b.id);
}

const CASES: Record<string, string>[] = [
  { format: 'csv', level: 'passage', status: 'all', includeExcluded: '1' },
  { format: 'jsonl', level: 'passage', status: 'all', includeExcluded: '1' },
  { format: 'jsonl', level: 'document', status: 'all' },
  { format: 'csv', level: 'document', status: 'final' },
  { format: 'parquet', level: 'passage', status: 'final' },
  { format: 'jsonl', level: 'passage', status: 'final', from: '2024-02', to: '2024-10' },
  { format: 'csv', level: 'passage', status: 'reviewed', bundle: '1' },
];

describePg('exports: the same bytes from SQLite and PostgreSQL', (serverUrl) => {
  let dir: string;
  let sqlite: Db;
  let target: TestPgDatabase;
  let postgres: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-export-engines-'));
    sqlite = openAppDb(join(dir, 'fs.db'));
    seed(sqlite);
    target = await createTestPgDatabase(serverUrl);
    const pool = openPg(target.url, { max: 2 });
    try {
      await copySqliteToPg(sqlite.$client, pool);
    } finally {
      await pool.$client.end();
    }
    postgres = openDb(target.url);
  }, 120_000);
  afterAll(async () => {
    postgres?.$client.close();
    sqlite?.$client.close();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const query of CASES) {
    it(`writes ${new URLSearchParams(query).toString()} byte for byte alike`, () => {
      const fromSqlite = exportBytes(sqlite, query);
      const fromPostgres = exportBytes(postgres, query);
      expect(fromPostgres.total).toBe(fromSqlite.total);
      expect(fromSqlite.total).toBeGreaterThan(0);
      if (query.bundle) {
        // A zip's bytes are compared entry by entry, so a difference names its file.
        const files = (bytes: Buffer) => Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
        expect(files(fromPostgres.bytes)).toEqual(files(fromSqlite.bytes));
      } else if (query.format !== 'parquet') {
        // Text first, so a failure shows the line that differs.
        expect(fromPostgres.bytes.toString('utf8')).toBe(fromSqlite.bytes.toString('utf8'));
      }
      expect(fromPostgres.bytes.equals(fromSqlite.bytes)).toBe(true);
    });
  }

  it('writes evidence fields in their order, metadata keys sorted, history in its order with times as ISO', () => {
    const rows = readJsonl(exportBytes(postgres, { format: 'jsonl', level: 'passage', status: 'all' }).bytes);
    const row = rows.find((r) => r.suggestion_confidence === 0.8234567891234567)!;
    expect(JSON.stringify(row.suggestion_evidence)).toBe('[{"quote":"He said \\"no\\"","verified":true,"start":0,"end":12},{"quote":"not in the text","verified":false,"start":null,"end":null}]');
    expect(JSON.stringify(row.metadata)).toBe(JSON.stringify({ a: '=1+1', desk: 'Moscow\nbureau', section: 'Politics, "world"', zz: 'эмоция 🕊️' }));
    const suggestions = row.suggestions as Record<string, unknown>[];
    expect(Object.keys(suggestions[0]!)).toEqual(['id', 'run_id', 'provider', 'model', 'model_version', 'prompt_version', 'codebook_version', 'label', 'stance', 'themes', 'confidence', 'created_at']);
    expect(suggestions[0]).toMatchObject({ confidence: 0.8234567891234567, themes: ['sanctions', 'sovereignty'] });
    expect(String(suggestions[0]!.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const reviews = row.reviews as Record<string, unknown>[];
    expect(reviews).toEqual([expect.objectContaining({ reviewer: 'carol', action: 'edit', blind: false, note: 'Tone: "ironic", see =A1', themes: ['sovereignty'], standing: true })]);
    expect(String(reviews[0]!.created_at)).toMatch(/Z$/);
  });
});

describe('export date filters', () => {
  it('takes a month as the whole month, its real last day included', () => {
    const db = openAppDb(':memory:');
    seedLabelled(db);
    // Outlet B's document is dated 2022-07 (July has 31 days); Outlet A's 2024-10-15.
    const total = (q: Record<string, string>) => exportBytes(db, { format: 'jsonl', level: 'document', status: 'all', ...q }).total;
    expect([total({ from: '2022-07', to: '2022-07' }), total({ from: '2024-10', to: '2024-10' }), total({ from: '2024-02', to: '2024-09' })]).toEqual([1, 1, 0]);
  });

  it('refuses a day or month the calendar does not have, naming it', () => {
    expect(() => parseExportQuery({ from: '2024-13' })).toThrow(/from: not a date in the calendar/);
    expect(() => parseExportQuery({ to: '2023-02-29' })).toThrow(/to: not a date in the calendar/);
    expect(parseExportQuery({ from: '2024-02-29', to: '2024-02' })).toMatchObject({ from: '2024-02-29', to: '2024-02' });
  });
});
