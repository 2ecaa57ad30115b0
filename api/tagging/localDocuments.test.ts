import { describe, expect, it } from 'vitest';
import { getActiveCodebook } from '../codebooks/service.ts';
import { seedCorpus } from '../fixtures.ts';
import { labelStanceSigns } from '../providers/local.ts';
import { testDeps } from '../testing.ts';
import { createRun } from './runs.ts';

describe('local-baseline runs on documents', () => {
  it('give every document a suggestion whose stance agrees with its label, with themes when its passages have them, and evidence only from passages not excluded', async () => {
    const deps = testDeps();
    const cb = getActiveCodebook(deps.db).definition;
    const sentences = [...cb.labels.flatMap((l) => l.examples), ...(cb.examples ?? []).map((e) => e.text)];
    const boilerplate = 'Support our journalism: donate to the Union State fund today and subscribe to the sanctions newsletter.';
    // Twelve documents, each three passages of different labels' examples and one excluded notice.
    const docs = seedCorpus(deps.db, [
      {
        name: 'Mixed Outlet',
        documents: Array.from({ length: 12 }, (_, d) => ({
          title: `Mixed ${d}`,
          passages: [...[0, 1, 2].map((k) => ({ text: `${k === 0 ? `Report ${d}. ` : ""}${sentences[(d * 3 + k * 5) % sentences.length]!}` })), { text: boilerplate, excluded: true }],
        })),
      },
    ]);
    const { job } = createRun(deps, { provider: 'local' }, 'test');
    await deps.jobs.settled(job.id);

    const rows = deps.db.$client
      .prepare(`SELECT i.id AS itemId, i.level AS level, i.document_id AS documentId, s.label, s.stance, s.themes, s.evidence FROM suggestions s JOIN items i ON i.id = s.item_id`)
      .all() as { itemId: number; level: 'passage' | 'document'; documentId: number; label: string; stance: number; themes: string; evidence: string }[];
    const signs = labelStanceSigns(cb);
    const documents = rows.filter((r) => r.level === 'document');
    expect(documents.length).toBe(12);
    for (const doc of documents) {
      const sign = signs.get(doc.label)!;
      expect(sign === 0 || doc.stance === 0 || Math.sign(doc.stance) === sign, `document ${doc.documentId}: ${doc.label} with stance ${doc.stance}`).toBe(true);
      const passageThemes = new Set(rows.filter((r) => r.level === 'passage' && r.documentId === doc.documentId).flatMap((r) => JSON.parse(r.themes) as string[]));
      const themes = JSON.parse(doc.themes) as string[];
      if (passageThemes.size > 0) expect(themes.length, `document ${doc.documentId} has no themes though its passages have ${[...passageThemes].join(', ')}`).toBeGreaterThan(0);
      expect(themes.every((t) => passageThemes.has(t)), `document ${doc.documentId}: themes ${themes.join(', ')} beyond its passages'`).toBe(true);
      const evidence = JSON.parse(doc.evidence) as { quote: string; verified: boolean }[];
      expect(evidence.length).toBeGreaterThan(0);
      for (const e of evidence) {
        expect(e.verified).toBe(true);
        expect(boilerplate.includes(e.quote) || e.quote.includes('donate'), `document ${doc.documentId} quotes the excluded notice: ${e.quote}`).toBe(false);
      }
    }
    expect(documents.filter((d) => (JSON.parse(d.themes) as string[]).length > 0).length, 'documents with themes').toBeGreaterThan(0);
    expect(docs.length).toBe(12);
  });
});
