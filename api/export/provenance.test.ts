import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { taggingRuns } from '../../db/schema/index.ts';
import { identifyLocalReviewer } from '../auth/service.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { decide } from '../review/decisions.ts';
import { createTestDb } from '../testing.ts';
import { columnsFor } from './columns.ts';
import { exportBytes, readCsv, readJsonl, readParquet } from './testing.ts';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const EVIDENCE = [{ quote: 'customs union', verified: true, start: 10, end: 23 }];

/**
 * Four passages with one suggestion each from a recorded run, then: a person accepts the shown
 * suggestion, a person rejects without giving the answer, a person excludes a caption with a
 * reason, and a bulk accept.
 */
function seed(db: Db) {
  const [doc] = seedCorpus(db, [
    { name: 'Outlet A', documents: [{ title: 'One', published: '2024-05-06', passages: ['The customs union widens.', 'Grain and sanctions.', 'Photo: a summit.', 'A bulk-accepted passage.'].map((text) => ({ text })) }] },
  ]);
  const p = doc!.passageItemIds;
  const codebook = getActiveCodebook(db);
  const run = db
    .insert(taggingRuns)
    .values({ provider: 'local', model: 'local-baseline-v1.n40.3fa2b1c9', codebookId: codebook.id, promptVersions: { passage: 'passage-v1' }, selection: { all: true }, options: {} })
    .returning({ id: taggingRuns.id })
    .get().id;
  const suggestion = (item: number, label: string) =>
    addSuggestion(db, item, { label, stance: -1, themes: ['sovereignty'], confidence: 0.7, rationale: `why ${label}`, evidence: EVIDENCE, runId: run, model: 'local-baseline-v1.n40.3fa2b1c9' });
  const shown = p.map((item) => suggestion(item, 'critical'));
  const ann = identifyLocalReviewer(db, 'Ann');
  decide(db, ann, p[0]!, { action: 'accept', suggestionId: shown[0]!, basedOnVersion: 1 }, NOW);
  decide(db, ann, p[1]!, { action: 'reject', label: null, suggestionId: shown[1]!, basedOnVersion: 1 }, NOW);
  decide(db, ann, p[2]!, { action: 'exclude', note: 'photo caption', basedOnVersion: 1 }, NOW);
  addReview(db, p[3]!, { reviewer: 'bob', action: 'accept', kind: 'bulk', label: 'critical', stance: -1, themes: ['sovereignty'], suggestionId: shown[3]! });
  return { p, run, shown, codebook };
}

/** One cell as text, whatever the format wrote: '' for nothing, lists joined by |, structured values as JSON. */
function cell(value: unknown, type: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (type === 'json') return JSON.stringify(typeof value === 'string' ? JSON.parse(value) : value);
  if (Array.isArray(value)) return value.join('|');
  return String(value);
}

/** The export's rows in each format, as text cells keyed by item id. */
async function exported(db: Db): Promise<Record<'csv' | 'jsonl' | 'parquet', Map<number, Record<string, string>>>> {
  const query = { level: 'passage', status: 'all', includeExcluded: '1' };
  const columns = columnsFor('passage');
  const asText = (rows: Record<string, unknown>[]) =>
    new Map(rows.map((r) => [Number(r.item_id), Object.fromEntries(columns.map((c) => [c.name, cell(r[c.name], c.type)]))]));
  const csv = readCsv(exportBytes(db, { ...query, format: 'csv' }).bytes);
  expect(csv.header).toEqual(columns.map((c) => c.name));
  const parquet = await readParquet(exportBytes(db, { ...query, format: 'parquet' }).bytes);
  expect(Object.keys(parquet.types)).toEqual(columns.map((c) => c.name));
  return { csv: asText(csv.rows), jsonl: asText(readJsonl(exportBytes(db, { ...query, format: 'jsonl' }).bytes)), parquet: asText(parquet.rows) };
}

const PROVENANCE = [
  'decision_origin', 'decided_by', 'decided_at', 'decision_action',
  'shown_suggestion_id', 'shown_label', 'shown_rationale', 'shown_evidence', 'shown_run_id', 'shown_provider', 'shown_model', 'shown_model_version', 'shown_prompt_version', 'shown_codebook_version',
  'suggestion_rationale', 'suggestion_evidence', 'suggestion_run_id', 'suggestion_provider', 'suggestion_model_version', 'suggestion_prompt_version', 'suggestion_codebook_version',
] as const;

describe('exported provenance, in CSV, JSONL and Parquet alike', () => {
  it('fills origin, reviewer, time and the shown suggestion with its evidence, rationale, run, provider, model version, prompt and codebook', async () => {
    const db = createTestDb();
    const { p, run, shown, codebook } = seed(db);
    const files = await exported(db);
    const evidence = JSON.stringify(EVIDENCE);
    for (const [format, rows] of Object.entries(files)) {
      const accepted = rows.get(p[0]!)!;
      expect(Object.fromEntries(PROVENANCE.map((k) => [k, accepted[k]])), format).toEqual({
        decision_origin: 'reviewer',
        decided_by: 'Ann',
        decided_at: NOW.toISOString(),
        decision_action: 'accept',
        shown_suggestion_id: String(shown[0]),
        shown_label: 'critical',
        shown_rationale: 'why critical',
        shown_evidence: evidence,
        shown_run_id: String(run),
        shown_provider: 'local',
        shown_model: 'local-baseline-v1.n40.3fa2b1c9',
        shown_model_version: 'local-baseline-v1.n40.3fa2b1c9',
        shown_prompt_version: 'passage-v1',
        shown_codebook_version: codebook.version,
        suggestion_rationale: 'why critical',
        suggestion_evidence: evidence,
        suggestion_run_id: String(run),
        suggestion_provider: 'local',
        suggestion_model_version: 'local-baseline-v1.n40.3fa2b1c9',
        suggestion_prompt_version: 'passage-v1',
        suggestion_codebook_version: codebook.version,
      });
      expect([accepted.final_label, accepted.final_origin, accepted.people_label], format).toEqual(['critical', 'reviewer', 'critical']);
      const bulk = rows.get(p[3]!)!;
      expect([bulk.decision_origin, bulk.final_origin, bulk.bulk_accept, bulk.decided_by, bulk.people_label, bulk.shown_suggestion_id], format).toEqual(['bulk', 'bulk', 'true', 'bob', '', String(shown[3])]);
    }
  });

  it('exports a reject with no answer as status rejected with no label', async () => {
    const db = createTestDb();
    const { p } = seed(db);
    for (const [format, rows] of Object.entries(await exported(db))) {
      const rejected = rows.get(p[1]!)!;
      expect(
        [rejected.review_status, rejected.final_label, rejected.final_stance, rejected.final_origin, rejected.people_label, rejected.decision_action, rejected.decided_by, rejected.shown_label],
        format,
      ).toEqual(['rejected', '', '', '', '', 'reject', 'Ann', 'critical']);
    }
  });

  it('exports who excluded a passage, when and why', async () => {
    const db = createTestDb();
    const { p } = seed(db);
    for (const [format, rows] of Object.entries(await exported(db))) {
      const excluded = rows.get(p[2]!)!;
      expect([excluded.excluded, excluded.excluded_by, excluded.excluded_by_reviewer, excluded.excluded_at, excluded.excluded_reason], format).toEqual(['true', 'reviewer', 'Ann', NOW.toISOString(), 'photo caption']);
    }
  });
});
