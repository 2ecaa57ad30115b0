import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { documents, items, reviews, users } from '../../db/schema/index.ts';
import { createTestDb } from '../testing.ts';
import { exportBytes } from '../export/testing.ts';
import { parseCodebook } from '../codebooks/definition.ts';
import { activateCodebook, addCodebook } from '../codebooks/service.ts';
import { listDocuments } from './corpus.ts';
import { runImport } from './import.ts';
import { bytesSource } from './sources.ts';

/** A team's own codebook: media bias, not the bundled one. */
const TEAM_CODEBOOK = JSON.stringify({
  name: 'media-bias',
  version: '2',
  labels: [
    { id: 'left', name: 'Left', definition: 'Leans left.' },
    { id: 'center', name: 'Center', definition: 'Balanced.' },
    { id: 'right', name: 'Right', definition: 'Leans right.' },
  ],
  stance: { target: 'the government', min: -1, max: 1 },
  themes: [{ id: 'economy', name: 'Economy' }],
});

const LABELLED = 'id,text,outlet,label,stance,themes\nT-1,Budget talks resume in the capital.,Daily A,center,0,economy\nT-2,Opposition walks out of the session.,Daily B,left,-1,\n';

describe('labels in row files', () => {
  it('rejects labels of a stored but inactive codebook with the command to activate it, and imports them after activation', async () => {
    const db = createTestDb();
    const stored = addCodebook(db, parseCodebook(TEAM_CODEBOOK));
    const first = (await runImport(db, [bytesSource('coded.csv', LABELLED)], { origin: 'cli' })).files[0]!;
    expect(first.status).toBe('failed');
    expect(first.rejects[0]).toEqual({
      line: 2,
      column: 'label',
      reason: `label "center" is not in the active codebook post-soviet-integration 1; stored codebook media-bias 2 (id ${stored.id}) has it: activate it with "framescope codebook activate ${stored.id}" and import again`,
    });
    expect(first.warnings).toEqual([
      { line: null, column: 'label', reason: `2 rows carry labels of stored codebook media-bias 2, which is not active: "framescope codebook activate ${stored.id}", then import the file again` },
    ]);

    activateCodebook(db, stored.id);
    const second = (await runImport(db, [bytesSource('coded.csv', LABELLED)], { origin: 'cli' })).files[0]!;
    expect(second).toMatchObject({ status: 'imported', documents: 2, labels: 2, rejected: 0 });
    const decided = db
      .select({ externalId: documents.externalId, label: items.reviewedLabel, origin: items.finalOrigin })
      .from(items)
      .innerJoin(documents, eq(documents.id, items.documentId))
      .where(eq(items.level, 'document'))
      .orderBy(asc(documents.id))
      .all();
    expect(decided).toEqual([
      { externalId: 'T-1', label: 'center', origin: 'import' },
      { externalId: 'T-2', label: 'left', origin: 'import' },
    ]);
  });

  it('attaches labels for documents already stored as import reviews, once', async () => {
    const db = createTestDb();
    const plain = 'text,outlet\nThe harbour reopened after the strike.,Coast Post\nGrain prices fell for a third week.,Coast Post\n';
    await runImport(db, [bytesSource('plain.csv', plain)], { origin: 'cli' });
    const coded = 'text,outlet,label,stance\nThe harbour reopened after the strike.,Coast Post,analytical,0\nGrain prices fell for a third week.,Coast Post,critical,-1\n';
    const again = (await runImport(db, [bytesSource('coded.csv', coded)], { origin: 'cli', importName: 'coder-b' })).files[0]!;
    expect(again).toMatchObject({ status: 'unchanged', documents: 0, unchanged: 2, labels: 0, attachedLabels: 2 });
    const rows = db
      .select({ label: reviews.label, stance: reviews.stance, kind: reviews.kind, by: users.name })
      .from(reviews)
      .innerJoin(users, eq(users.id, reviews.reviewerId))
      .orderBy(asc(reviews.id))
      .all();
    expect(rows).toEqual([
      { label: 'analytical', stance: 0, kind: 'import', by: 'import:coder-b' },
      { label: 'critical', stance: -1, kind: 'import', by: 'import:coder-b' },
    ]);
    expect(db.select({ s: items.reviewStatus }).from(items).where(eq(items.level, 'document')).all()).toEqual([{ s: 'reviewed' }, { s: 'reviewed' }]);
    const third = (await runImport(db, [bytesSource('coded.csv', coded)], { origin: 'cli', importName: 'coder-b' })).files[0]!;
    expect(third).toMatchObject({ status: 'unchanged', attachedLabels: 0, importId: null });
    expect(db.select({ id: reviews.id }).from(reviews).all()).toHaveLength(2);
  });

  it('keeps the external id searchable, exports it with the metadata, and an export imports back with them', async () => {
    const db = createTestDb();
    await runImport(db, [bytesSource('m.csv', 'article_id,text,outlet,section\nX-9,A story with an id.,Coast Post,Harbour\n')], { origin: 'cli' });
    expect(listDocuments(db, { q: 'X-9', page: 1, pageSize: 10 }).documents.map((d) => d.externalId)).toEqual(['X-9']);
    const out = exportBytes(db, { format: 'jsonl', level: 'document', status: 'all' });
    const row = JSON.parse(out.bytes.toString('utf8').split('\n')[0]!) as Record<string, unknown>;
    expect([row.external_id, row.metadata]).toEqual(['X-9', { section: 'Harbour' }]);
    const copy = createTestDb();
    await runImport(copy, [bytesSource('dataset.jsonl', out.bytes)], { origin: 'cli' });
    expect(copy.select({ externalId: documents.externalId, metadata: documents.metadata }).from(documents).get()).toEqual({ externalId: 'X-9', metadata: { section: 'Harbour' } });
    const csv = exportBytes(db, { format: 'csv', level: 'document', status: 'all' });
    const viaCsv = createTestDb();
    await runImport(viaCsv, [bytesSource('dataset.csv', csv.bytes)], { origin: 'cli' });
    expect(viaCsv.select({ externalId: documents.externalId, metadata: documents.metadata }).from(documents).get()).toEqual({ externalId: 'X-9', metadata: { section: 'Harbour' } });
  });
});
