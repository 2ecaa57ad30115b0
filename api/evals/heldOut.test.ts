import { basename } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { imports, items } from '../../db/schema/index.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { loadConfig } from '../config.ts';
import { addReview, seedCorpus } from '../fixtures.ts';
import { runImport } from '../ingest/import.ts';
import { bytesSource } from '../ingest/sources.ts';
import { createTestDb, testApp } from '../testing.ts';
import { reviewedTrainingExamples } from '../training/examples.ts';
import { loadGoldFromDb } from './gold.ts';
import { evaluate } from './service.ts';

/** A labelled CSV of three articles from two outlets, imported as a held-out evaluation set. */
const HELD_OUT_CSV = [
  'title,source,text,label,stance',
  'Held one,Eastern Post,The eastern alliance deepens its customs union.,integrationist,2',
  'Held two,Eastern Post,Critics say the bloc curbs sovereignty.,critical,-1',
  'Held three,Western Wire,Economists compare tariffs across the region.,analytical,0',
].join('\n');

async function setup() {
  const db = createTestDb();
  const [doc] = seedCorpus(db, [{ name: 'Home Outlet', documents: [{ title: 'Ours', passages: [{ text: 'The union brings our peoples together.' }, { text: 'Moscow keeps its neighbours on a leash.' }] }] }]);
  addReview(db, doc!.passageItemIds[0]!, { reviewer: 'ana', action: 'edit', label: 'integrationist', stance: 1, blind: true });
  addReview(db, doc!.passageItemIds[1]!, { reviewer: 'ana', action: 'edit', label: 'critical', stance: -1, blind: true });
  const report = await runImport(db, [bytesSource('held.csv', HELD_OUT_CSV)], { origin: 'cli', map: { text: 'text', title: 'title', source: 'source', label: 'label', stance: 'stance' }, evaluationOnly: true });
  return { db, importId: report.files[0]!.importId! };
}

describe('evaluation-only imports', () => {
  it('marks the import gold and evaluation-only, and the local model never trains on its items', async () => {
    const { db, importId } = await setup();
    expect(db.select({ gold: imports.gold, evaluationOnly: imports.evaluationOnly }).from(imports).where(eq(imports.id, importId)).get()).toEqual({ gold: true, evaluationOnly: true });
    // Its labels are independent human decisions (gold) ...
    expect(db.select().from(items).all().filter((i) => i.independentLabel !== null)).toHaveLength(2 + 3);
    // ... but the training set holds only the two decisions made here.
    const { examples } = reviewedTrainingExamples(db, getActiveCodebook(db).definition);
    expect(examples.map((e) => e.text).sort()).toEqual(['Moscow keeps its neighbours on a leash.', 'The union brings our peoples together.']);
  });

  it('evals score exactly the held-out items, with a local baseline trained on the rest, and name the database and codebook', async () => {
    const { db } = await setup();
    const gold = loadGoldFromDb(db, { evaluationOnly: true });
    expect(gold.origin).toBe('db:evaluation-only');
    expect(gold.items.map((i) => i.label).sort()).toEqual(['analytical', 'critical', 'integrationist']);
    expect(new Set(gold.items.map((i) => i.sourceName))).toEqual(new Set(['Eastern Post', 'Western Wire']));
    expect(loadGoldFromDb(db).items.filter((i) => !i.excluded)).toHaveLength(5);

    const { result, paths } = await evaluate({ provider: 'local', gold: 'db', evaluationOnly: true, write: false, bootstrapIterations: 50 }, { config: loadConfig({}, { dbPath: ':memory:' }), db });
    expect(paths).toBeNull();
    expect(result.label.n).toBe(3);
    expect(result.provenance.protocol).toMatchObject({ kind: 'held-out', trainingSize: 2 });
    expect(result.provenance.sources.databases).toEqual([{ name: basename(db.$client.name), path: db.$client.name, migration: expect.stringMatching(/^[0-9a-f]{12}$/), use: 'gold labels (evaluation-only imports), training set, human baseline' }]);
    const cb = getActiveCodebook(db);
    expect(result.provenance.sources.codebooks).toEqual([{ name: cb.definition.name, version: cb.version, hash: cb.hash, use: 'prompts, label set and gold labels' }]);
  });

  it('takes the evaluation-only mark from an upload form', async () => {
    const { app, deps } = testApp();
    const form = new FormData();
    form.append('files', new File([HELD_OUT_CSV], 'held.csv', { type: 'text/csv' }));
    form.append('map', 'text=text,title=title,source=source,label=label,stance=stance');
    form.append('evaluationOnly', 'true');
    const res = await app.request('/api/imports', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    await deps.jobs.settled(((await res.json()) as { id: number }).id);
    expect(deps.db.select({ name: imports.name, gold: imports.gold, evaluationOnly: imports.evaluationOnly }).from(imports).all()).toEqual([{ name: 'held', gold: true, evaluationOnly: true }]);
    expect(loadGoldFromDb(deps.db, { evaluationOnly: true }).items).toHaveLength(3);
  });

  it('refuses --evaluation-only without db gold, and a database without an evaluation-only import', async () => {
    const db = createTestDb();
    seedCorpus(db, [{ name: 'Home Outlet', documents: [{ title: 'Ours', passages: [{ text: 'A passage.' }] }] }]);
    await expect(evaluate({ provider: 'local', gold: 'evals/gold/shared-corpus.v1.jsonl', evaluationOnly: true, write: false }, { config: loadConfig({}, { dbPath: ':memory:' }), db })).rejects.toThrow('--evaluation-only scores the evaluation-only imports of a database: use it with --gold db');
    expect(() => loadGoldFromDb(db, { evaluationOnly: true })).toThrow('the database has no items labelled by an evaluation-only import');
  });
});
