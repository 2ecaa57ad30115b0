import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { documents } from '../../db/schema/index.ts';
import { createTestDb } from '../testing.ts';
import { exportBytes } from '../export/testing.ts';
import { getStats } from '../stats/service.ts';
import { jaccard, shingles } from './duplicates.ts';
import { runImport } from './import.ts';
import { bytesSource } from './sources.ts';

const WIRE =
  'The finance ministers of the five member states met in the capital on Tuesday to discuss a common tariff on grain imports. ' +
  'Officials said the talks would continue next month, after each delegation reports back to its government. ' +
  'Analysts noted that the proposal had failed twice before, when two members objected to the quota system.';
/** The same wire story as another outlet ran it: its own headline line and one word changed. */
const COPY = `${WIRE.replace('Tuesday', 'Wednesday')}\n\nReporting by the wire desk.`;
const OTHER =
  'Harbour workers in the northern port ended their strike after the company agreed to restore the night shift bonus. ' +
  'The union said it would watch closely whether the promises are kept over the winter, when traffic usually doubles.';

const rows = (items: { text: string; outlet: string }[]) => items.map((r) => JSON.stringify(r)).join('\n');

describe('duplicates across outlets', () => {
  it('measures shingle overlap: 46 of 61 shingles shared with a lightly edited copy, none with another story', () => {
    expect(jaccard(shingles(WIRE), shingles(COPY))).toBeCloseTo(46 / 61, 10);
    expect(jaccard(shingles(WIRE), shingles(OTHER))).toBe(0);
  });

  it('links identical and near-identical texts of other sources to the first stored copy, and leaves other stories alone', async () => {
    const db = createTestDb();
    const r = await runImport(
      db,
      [
        bytesSource(
          'wire.jsonl',
          rows([
            { text: WIRE, outlet: 'Agency' },
            { text: WIRE, outlet: 'Daily A' },
            { text: COPY, outlet: 'Daily B' },
            { text: OTHER, outlet: 'Daily B' },
          ]),
        ),
      ],
      { origin: 'cli' },
    );
    expect(r.files[0]).toMatchObject({ documents: 4, duplicates: 2 });
    const docs = db.select({ id: documents.id, of: documents.duplicateOf, sim: documents.duplicateSimilarity }).from(documents).orderBy(asc(documents.id)).all();
    expect(docs[0]).toEqual({ id: docs[0]!.id, of: null, sim: null });
    expect(docs[1]).toEqual({ id: docs[1]!.id, of: docs[0]!.id, sim: 1 });
    expect(docs[2]!.of).toBe(docs[0]!.id);
    expect(docs[2]!.sim).toBeCloseTo(46 / 61, 10);
    expect(docs[3]).toEqual({ id: docs[3]!.id, of: null, sim: null });
    expect(getStats(db)).toMatchObject({ documents: 4, syndicatedDocuments: 2 });
  });

  it('keeps an exact duplicate within a source idempotent, not a copy', async () => {
    const db = createTestDb();
    const file = bytesSource('same.jsonl', rows([{ text: WIRE, outlet: 'Agency' }, { text: WIRE, outlet: 'Agency' }]));
    const r = await runImport(db, [file], { origin: 'cli' });
    expect(r.files[0]).toMatchObject({ documents: 1, unchanged: 1, duplicates: 0 });
  });

  it('exports syndicated copies with their link, or leaves them out', async () => {
    const db = createTestDb();
    await runImport(db, [bytesSource('wire.jsonl', rows([{ text: WIRE, outlet: 'Agency' }, { text: COPY, outlet: 'Daily B' }]))], { origin: 'cli' });
    const all = exportBytes(db, { format: 'jsonl', level: 'document', status: 'all' });
    const lines = all.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.framescope_export !== 'end');
    expect(lines.map((l) => [l.source, l.duplicate_of === null ? null : 'linked'])).toEqual([
      ['Agency', null],
      ['Daily B', 'linked'],
    ]);
    const originals = exportBytes(db, { format: 'jsonl', level: 'document', status: 'all', syndicated: 'exclude' });
    expect(originals.total).toBe(1);
  });
});
