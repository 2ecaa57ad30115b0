import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { createTestDb } from '../testing.ts';
import { testDialect } from '../../db/testing.ts';
import { reviews, users } from '../../db/schema/index.ts';
import { addReview, addSuggestion, seedCorpus, type FixtureDocument } from '../fixtures.ts';
import { recomputeReviewState } from '../items/state.ts';
import { parseFilters, readsRollups, type DashboardFilters } from './filters.ts';
import { rebuildRollups, ROLLUP_TABLES } from './rollups.ts';
import { modelAndPeople } from './views/agreement.ts';
import { correctedEstimates } from './views/corrected.ts';
import { framingMix } from './views/framing.ts';
import { dashboardMeta } from './views/meta.ts';
import { sourceSimilarity } from './views/similarity.ts';
import { stanceBySource } from './views/stance.ts';
import { themesBySource } from './views/themes.ts';
import { timeline, type TimelineRow } from './views/timeline.ts';
import { timelineSeries, type TimelineSeries } from './views/timelineSeries.ts';
import { drillDown, type DrillDown } from './views/passages.ts';
import { compareSides, documentUnits } from './views/compare.ts';
import { sideSumsFromRollups, sideUnitsFromFacets, sideUnitsFromRollups } from './views/compareSums.ts';
import { sumsOf, type DocumentUnit } from './difference.ts';
import { header } from './views/common.ts';

const LABELS = ['integrationist', 'critical', 'analytical'];
const THEMES = ['sovereignty', 'sanctions', 'union-state', 'ukraine-war'];

/** A review made in the queue's random order (or blind): the corrected estimate's sample. */
function addSampledReview(db: Db, itemId: number, reviewer: string, label: string, stance: number, how: 'random' | 'blind') {
  db.transaction((tx) => {
    const user = tx.insert(users).values({ name: `${reviewer}-${itemId}`, role: 'reviewer' }).returning().get();
    tx.insert(reviews)
      .values({ itemId, reviewerId: user.id, action: 'edit', label, stance, themes: [THEMES[(stance + 2) % THEMES.length]!], queueOrder: how === 'random' ? 'random' : 'confidence', blind: how === 'blind' })
      .run();
    recomputeReviewState(tx, itemId);
  });
}

const docs = (n: number, passages: number, date: (k: number) => string | undefined): FixtureDocument[] =>
  Array.from({ length: n }, (_, k) => ({
    title: `doc ${k}`,
    published: date(k),
    passages: Array.from({ length: passages }, (_, p) => ({ text: `passage ${k}.${p}`, excluded: p === 3 && k % 2 === 0 })),
  }));

/**
 * Four sources that reach every branch: one document (passage bootstrap), three documents
 * dated to the day, month and year plus an undated one (document bootstrap, undated periods),
 * 34 documents (cluster-normal interval), and one never tagged. Items get suggestions (some
 * re-suggested), accepts, edits, open and labelled rejects, undos, exclusions and inclusions,
 * disputes, an adjudication, and random-order and blind reviews.
 */
function buildCorpus(db: Db) {
  const seeded = seedCorpus(db, [
    { name: 'Single', documents: docs(1, 5, () => '2024-02-10') },
    { name: 'Few', documents: docs(4, 4, (k) => ['2023-05-01', '2023-06', '2022', undefined][k]) },
    { name: 'Many', documents: docs(34, 4, (k) => `${2020 + (k % 3)}-${String(1 + (k % 12)).padStart(2, '0')}-03`) },
    { name: 'Quiet', documents: docs(1, 2, () => '2024-01-01') },
  ]);
  let draw = 7;
  const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
  const tagged = seeded.filter((d) => d.sourceId !== seeded.at(-1)!.sourceId);
  const all = tagged.flatMap((d) => [d.itemId, ...d.passageItemIds]);
  for (const itemId of all) {
    const label = LABELS[next(3)]!;
    addSuggestion(db, itemId, { label, stance: next(5) - 2, themes: THEMES.filter(() => next(3) === 0), provider: next(4) === 0 ? 'openai' : 'local' });
  }
  // Re-suggested items: the new label and themes replace the old contribution.
  for (const itemId of all.filter((_, k) => k % 7 === 0)) addSuggestion(db, itemId, { label: LABELS[next(3)]!, stance: next(5) - 2, themes: [THEMES[next(4)]!] });

  all.forEach((itemId, k) => {
    const label = LABELS[next(3)]!;
    const stance = next(5) - 2;
    switch (k % 13) {
      case 0:
        addReview(db, itemId, { reviewer: 'ann', action: 'accept', label, stance, themes: [THEMES[next(4)]!] });
        break;
      case 1:
        addReview(db, itemId, { reviewer: 'ann', action: 'edit', label, stance });
        break;
      case 2:
        addReview(db, itemId, { reviewer: 'ann', action: 'reject' });
        break;
      case 3:
        addReview(db, itemId, { reviewer: 'ann', action: 'reject', label, stance, themes: ['sanctions'] });
        break;
      case 4: {
        const edit = addReview(db, itemId, { reviewer: 'ann', action: 'edit', label, stance, themes: ['union-state'] });
        addReview(db, itemId, { reviewer: 'ann', action: 'undo', undoesReviewId: edit });
        break;
      }
      case 5: {
        const exclude = addReview(db, itemId, { reviewer: 'ann', action: 'exclude', note: 'caption' });
        if (k % 2 === 0) addReview(db, itemId, { reviewer: 'ann', action: 'undo', undoesReviewId: exclude });
        break;
      }
      case 6:
        addReview(db, itemId, { reviewer: 'ann', action: 'include' });
        break;
      case 7:
        addReview(db, itemId, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1 });
        addReview(db, itemId, { reviewer: 'bob', action: 'edit', label: 'analytical', stance: 0 });
        break;
      case 8:
        addReview(db, itemId, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -1 });
        addReview(db, itemId, { reviewer: 'bob', action: 'edit', label: 'integrationist', stance: 2 });
        addReview(db, itemId, { reviewer: 'root', role: 'admin', action: 'adjudicate', label: 'integrationist', stance: 1, themes: ['sovereignty'] });
        break;
      case 9:
        addSampledReview(db, itemId, 'sam', label, stance, 'random');
        break;
      case 10:
        addSampledReview(db, itemId, 'sam', label, stance, 'blind');
        break;
      case 11:
        addReview(db, itemId, { reviewer: 'bulky', action: 'accept', kind: 'bulk', label, stance, themes: ['sanctions'] });
        break;
      case 12:
        // An independent decision and a bulk accept agreeing; an imported label beside them on every other one.
        addReview(db, itemId, { reviewer: 'ann', action: 'edit', label, stance, themes: ['sovereignty'] });
        addReview(db, itemId, { reviewer: 'bulky', action: 'accept', kind: 'bulk', label, stance });
        if (k % 2 === 0) addReview(db, itemId, { reviewer: 'import:file', role: 'import', action: 'edit', kind: 'import', label: 'critical', stance: -2 });
        break;
      default:
        // An open reject of the label another person gives: a dispute.
        addReview(db, itemId, { reviewer: 'ann', action: 'reject', shown: { suggestion: { label: 'analytical' } } });
        addReview(db, itemId, { reviewer: 'bob', action: 'accept', label: 'analytical', stance: 0 });
        break;
    }
  });
  // Excluded by the segmenter, then included by a reviewer (and one included then excluded again).
  const autoExcluded = seeded.filter((d) => d.passageItemIds.length > 3).map((d) => d.passageItemIds[3]!);
  addReview(db, autoExcluded[0]!, { reviewer: 'ann', action: 'include' });
  addReview(db, autoExcluded[2]!, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -2 });
  addReview(db, autoExcluded[2]!, { reviewer: 'ann', action: 'include' });
  addReview(db, autoExcluded[2]!, { reviewer: 'ann', action: 'exclude' });
  return seeded;
}

const filtersOf = (db: Db, query: Record<string, string | undefined>): DashboardFilters => parseFilters({ basis: 'final', level: 'passage', ...query } as never, db);

/** Two sides of sources for the comparison: the first two sources against the rest. */
function sides(db: Db) {
  const ids = db.all<{ id: number }>(sql`SELECT id FROM sources ORDER BY id`).map((r) => r.id);
  return [
    { value: 'a', name: 'A', ids: ids.slice(0, 2) },
    { value: 'b', name: 'B', ids: ids.slice(2) },
  ] as const;
}

/** Every dashboard view's JSON for a filter state. */
function views(db: Db, f: DashboardFilters) {
  const [a, b] = sides(db);
  return {
    compare: compareSides(db, f, a, b),
    meta: dashboardMeta(db, f),
    framing: framingMix(db, f),
    stance: stanceBySource(db, f),
    themes: themesBySource(db, f),
    timelineMonth: timeline(db, f, 'month'),
    timelineYear: timeline(db, f, 'year'),
    timelineSeries: timelineSeries(db, f, 'month', 2),
    similarity: sourceSimilarity(db, f, null),
    agreement: modelAndPeople(db, f),
    corrected: correctedEstimates(db, f),
  };
}

function rollupSnapshot(db: Db) {
  return Object.fromEntries(ROLLUP_TABLES.map((t) => [t, db.all<object>(sql.raw(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort()]));
}

describe('dashboard rollups', () => {
  const db = createTestDb();
  const filters = (query: Record<string, string | undefined>) => filtersOf(db, query);
  const seeded = buildCorpus(db);

  it('answer every view exactly as the scan of items does, for each basis, level and a source filter', () => {
    const bases = [{ basis: 'model' }, { basis: 'people' }, { basis: 'people', includeBulk: '1' }, { basis: 'final' }];
    const states = bases.flatMap((basis) =>
      ['passage', 'document'].flatMap((level) => [{ ...basis, level }, { ...basis, level, sources: `${seeded[0]!.sourceId},${seeded.at(-2)!.sourceId}` }]),
    );
    for (const query of states) {
      const f = filters(query);
      expect(readsRollups(f)).toBe(true);
      const fromRollups = views(db, f);
      expect(JSON.parse(JSON.stringify(fromRollups)), JSON.stringify(query)).toEqual(JSON.parse(JSON.stringify(views(db, { ...f, scan: true }))));
    }
    const f = filters({});
    const stance = stanceBySource(db, f);
    expect(stance.rows.map((r) => [r.source, r.method])).toEqual([
      ['Many', 'cluster-normal'],
      ['Few', 'bootstrap'],
      ['Single', 'bootstrap-passages'],
    ]);
    expect(timeline(db, f, 'month').undated).toBeGreaterThan(0);
    expect(correctedEstimates(db, f).rows.some((r) => r.nSample > 0)).toBe(true);
    const agreement = modelAndPeople(db, f);
    expect(agreement.progress.find((p) => p.source === 'Many')).toMatchObject({ disputed: expect.any(Number), adjudicated: expect.any(Number) });
    expect(agreement.progress.reduce((a, p) => a + p.disputed, 0)).toBeGreaterThan(0);
    expect(agreement.progress.reduce((a, p) => a + p.adjudicated, 0)).toBeGreaterThan(0);
    expect(agreement.progress.reduce((a, p) => a + p.rejected, 0)).toBeGreaterThan(0);
    // Bulk accepts and imported labels are in people incl. bulk and final, never in people.
    const counted = (query: Record<string, string>) => framingMix(db, filters(query)).rows.reduce((a, r) => a + r.counted, 0);
    expect(counted({ basis: 'people', includeBulk: '1' })).toBeGreaterThan(counted({ basis: 'people' }));
    expect(dashboardMeta(db, f).provenance.map((p) => p.provider)).toEqual(['local', 'openai']);
  });

  it('are what the unfiltered views read, and a date range with a status or provenance filter, or the syndication filter scans items instead', () => {
    const f = filters({});
    const before = framingMix(db, f).rows.find((r) => r.source === 'Many')!.counted;
    const many = seeded.at(-2)!.sourceId;
    db.run(sql`UPDATE source_rollups SET n = n + 1000 WHERE source_id = ${many} AND level = 'passage' AND basis = 'final' AND label = 'critical'`);
    try {
      expect(framingMix(db, f).rows.find((r) => r.source === 'Many')!.counted).toBe(before + 1000);
      expect(framingMix(db, { ...f, scan: true }).rows.find((r) => r.source === 'Many')!.counted).toBe(before);
      for (const query of [{ from: '2021-01-15', status: 'reviewed' }, { from: '2021', status: 'reviewed' }, { to: '2022', provider: 'local' }, { syndicated: 'exclude' }]) {
        expect(readsRollups(filters(query)), JSON.stringify(query)).toBe(false);
      }
    } finally {
      db.run(sql`UPDATE source_rollups SET n = n - 1000 WHERE source_id = ${many} AND level = 'passage' AND basis = 'final' AND label = 'critical'`);
    }
  });

  it('answer every view over a date range of whole months exactly as the scan does, for random ranges, bases, levels and sources', () => {
    let draw = 11;
    const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
    const month = () => `${2019 + next(7)}-${String(1 + next(12)).padStart(2, '0')}`;
    // 2022-03..12 is the year 2022 less its first two months: Few's one 2022 document (dated January) nets to nothing there.
    const ranges: Record<string, string>[] = [{ from: '2021' }, { to: '2022' }, { from: '2020-03', to: '2021-11' }, { from: '2023-05', to: '2023-05' }, { from: '2030' }, { to: '2022-02-28' }, { from: '2022-03', to: '2022-12' }, { from: '2022-03', to: '2023-10' }];
    for (let k = 0; k < 14; k++) {
      const [a, b] = [month(), month()].sort();
      ranges.push(k % 3 === 0 ? { from: a! } : k % 3 === 1 ? { to: b! } : { from: a!, to: b! });
    }
    const bases: Record<string, string>[] = [{ basis: 'model' }, { basis: 'people' }, { basis: 'people', includeBulk: '1' }, { basis: 'final' }];
    ranges.forEach((range, k) => {
      const query: Record<string, string> = { ...range, ...bases[k % bases.length]!, level: k % 2 === 0 ? 'passage' : 'document' };
      if (k % 5 === 4) query.sources = `${seeded[1]!.sourceId},${seeded.at(-2)!.sourceId}`;
      const f = filters(query);
      expect(readsRollups(f), JSON.stringify(query)).toBe(true);
      expect(JSON.parse(JSON.stringify(views(db, f))), JSON.stringify(query)).toEqual(JSON.parse(JSON.stringify(views(db, { ...f, scan: true }))));
    });
    // The ranges do narrow: the framing of 2021 alone counts fewer items than every year's.
    const counted = (query: Record<string, string>) => framingMix(db, filters(query)).rows.reduce((a, r) => a + r.counted, 0);
    expect(counted({ from: '2021', to: '2021' })).toBeGreaterThan(0);
    expect(counted({ from: '2021', to: '2021' })).toBeLessThan(counted({}));
  });

  it('answer every view under review-status and provenance filters exactly as the scan does, for random filters, bases, levels and sources', () => {
    let draw = 5;
    const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
    const statuses = ['unreviewed', 'reviewed', 'rejected', 'disputed', 'adjudicated'];
    const provenance: Record<string, string>[] = [{ provider: 'local' }, { provider: 'openai' }, { provider: 'nobody' }, { model: 'local-baseline-v1' }, { codebook: '1' }, {}];
    const bases: Record<string, string>[] = [{ basis: 'model' }, { basis: 'people' }, { basis: 'people', includeBulk: '1' }, { basis: 'final' }];
    for (let k = 0; k < 24; k++) {
      const query: Record<string, string> = { ...bases[k % bases.length]!, ...provenance[next(provenance.length)]!, level: k % 2 === 0 ? 'passage' : 'document' };
      const chosen = statuses.filter(() => next(3) === 0);
      if (chosen.length > 0 || Object.keys(query).length === 2) query.status = (chosen.length > 0 ? chosen : ['reviewed']).join(',');
      if (k % 5 === 4) query.sources = `${seeded[1]!.sourceId},${seeded.at(-2)!.sourceId}`;
      const f = filters(query);
      expect(readsRollups(f), JSON.stringify(query)).toBe(true);
      expect(JSON.parse(JSON.stringify(views(db, f))), JSON.stringify(query)).toEqual(JSON.parse(JSON.stringify(views(db, { ...f, scan: true }))));
    }
    const counted = (query: Record<string, string>) => framingMix(db, filters(query)).rows.reduce((a, r) => a + r.counted, 0);
    expect(counted({ provider: 'openai' })).toBeGreaterThan(0);
    expect(counted({ provider: 'openai' }) + counted({ provider: 'local' })).toBe(counted({}));
    expect(counted({ status: 'reviewed' })).toBeLessThan(counted({}));
  });

  it('give the comparison the same sums and documents a scan of items gives, for random sides, ranges, bases and levels', () => {
    let draw = 23;
    const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
    const ids = seeded.map((d) => d.sourceId).filter((id, k, all) => all.indexOf(id) === k);
    const day = () => `${2019 + next(7)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
    const bases: Record<string, string>[] = [{ basis: 'model' }, { basis: 'people' }, { basis: 'people', includeBulk: '1' }, { basis: 'final' }];
    let documents = 0;
    for (let k = 0; k < 24; k++) {
      const [lo, hi] = [day(), day()].sort();
      const range: Record<string, string> = [{}, { from: lo! }, { to: hi! }, { from: lo!, to: hi! }, { from: lo!.slice(0, 7) }, { from: '2030' }][k % 6]!;
      const query: Record<string, string> = { ...range, ...bases[k % bases.length]!, level: next(2) === 0 ? 'passage' : 'document' };
      const f = filters(query);
      const side = ids.filter(() => next(2) === 0);
      const labels = header(db, f).codebook.labels;
      const scanned = documentUnits(db, { ...f, scan: true }, side, labels);
      const fromRollups = sideSumsFromRollups(db, f, side, labels);
      expect(fromRollups.sums, JSON.stringify({ query, side })).toEqual(sumsOf(scanned.units, labels.length + 1));
      expect(fromRollups.counted).toBe(scanned.counted);
      expect(sideUnitsFromRollups(db, f, side, labels), JSON.stringify({ query, side })).toEqual(scanned.units.map((u) => ({ sums: u.sums, counts: u.counts })));
      documents += scanned.units.length;
    }
    expect(documents).toBeGreaterThan(100);
  });

  it('give the comparison the same sums and documents a scan gives under review-status and provenance filters, for random sides, bases and levels', () => {
    let draw = 29;
    const next = (n: number) => (draw = (draw * 48271) % 2147483647) % n;
    const ids = seeded.map((d) => d.sourceId).filter((id, k, all) => all.indexOf(id) === k);
    const statuses = ['unreviewed', 'reviewed', 'rejected', 'disputed', 'adjudicated'];
    const provenance: Record<string, string>[] = [{ provider: 'local' }, { provider: 'openai' }, { model: 'local-baseline-v1' }, { codebook: '1' }, {}];
    const bases: Record<string, string>[] = [{ basis: 'model' }, { basis: 'people' }, { basis: 'people', includeBulk: '1' }, { basis: 'final' }];
    let split = 0;
    for (let k = 0; k < 24; k++) {
      const query: Record<string, string> = { ...provenance[next(provenance.length)]!, ...bases[k % bases.length]!, level: next(2) === 0 ? 'passage' : 'document' };
      // Two or more statuses half the time: a document's items then lie under several facet keys.
      const chosen = statuses.filter(() => next(2) === 0);
      if (chosen.length > 0 || !('provider' in query || 'model' in query || 'codebook' in query)) query.status = (chosen.length > 0 ? chosen : ['unreviewed', 'reviewed']).join(',');
      const f = filters(query);
      const side = ids.filter(() => next(3) !== 0);
      const labels = header(db, f).codebook.labels;
      const scanned = documentUnits(db, { ...f, scan: true }, side, labels);
      const fromFacets = sideUnitsFromFacets(db, f, side, labels);
      const bare = (units: DocumentUnit[]) => units.map((u) => ({ sums: u.sums, counts: u.counts }));
      expect(bare(fromFacets.units), JSON.stringify({ query, side })).toEqual(bare(scanned.units));
      expect(fromFacets.counted).toBe(scanned.counted);
      split += db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT document_id FROM document_label_rollups_facets WHERE level = ${f.level} AND basis = ${f.basis} GROUP BY document_id, label HAVING count(*) > 1) AS split`)!.n;
    }
    // Documents whose items of one label lie under several facet keys are in the draws.
    expect(split).toBeGreaterThan(0);
  });

  it('sum the grouped timeline per group in SQL exactly as merging the scanned sources does, over ranges and with an others row', () => {
    db.run(sql`UPDATE sources SET country = CASE id % 3 WHEN 0 THEN 'RU' WHEN 1 THEN 'BY' END`);
    try {
      const ranges: Record<string, string>[] = [{}, { from: '2021' }, { from: '2020-03-15', to: '2021-11' }, { to: '2022-02-28' }, { from: '2030' }];
      let rows = 0;
      ranges.forEach((range, k) => {
        for (const granularity of ['month', 'year'] as const) {
          const query: Record<string, string> = { ...range, groupBy: 'country', basis: k % 2 === 0 ? 'final' : 'model', ...(k === 2 ? { top: '1' } : {}) };
          const f = filters(query);
          const fromRollups = timeline(db, f, granularity, 8);
          expect(JSON.parse(JSON.stringify(fromRollups)), JSON.stringify({ query, granularity })).toEqual(JSON.parse(JSON.stringify(timeline(db, { ...f, scan: true }, granularity, 8))));
          rows += fromRollups.rows.length;
        }
      });
      expect(rows).toBeGreaterThan(50);
      expect(new Set(timeline(db, filters({ groupBy: 'country' }), 'year').rows.map((r) => r.source)).size).toBe(3);
    } finally {
      db.run(sql`UPDATE sources SET country = NULL`);
    }
  });

  it('answer every view under a story of whole sources exactly as the filter of those sources does, and under part of them as the scan names and ranks them', () => {
    const [few, many] = [seeded[1]!.sourceId, seeded.at(-2)!.sourceId];
    const story = (documentIds: number[]) => {
      const id = Number(db.$client.prepare("INSERT INTO stories (title, origin, created_by, edited) VALUES ('A story', 'person', 'Ann', TRUE)").run().lastInsertRowid);
      const add = db.$client.prepare("INSERT INTO story_documents (document_id, story_id, added_by, added_by_name, method) VALUES (?, ?, 'person', 'Ann', 'person')");
      for (const d of documentIds) add.run(d, id);
      return String(id);
    };
    const whole = story(seeded.filter((d) => d.sourceId === few || d.sourceId === many).map((d) => d.id));
    const empty = story([]);
    // The comparison's sides and meta's totals are about the sources chosen, not the documents: left out here.
    const perUnit = (f: DashboardFilters) => {
      const { compare: _compare, meta: _meta, ...rest } = views(db, f);
      return JSON.parse(JSON.stringify(rest)) as object;
    };
    for (const basis of [{ basis: 'final' }, { basis: 'model', level: 'document' }, { basis: 'people' }]) {
      expect(perUnit(filters({ ...basis, story: whole })), JSON.stringify(basis)).toEqual(perUnit(filters({ ...basis, sources: `${few},${many}` })));
    }
    // A document is in one story at most.
    db.$client.prepare('DELETE FROM story_documents WHERE story_id = ?').run(Number(whole));
    const part = story(seeded.filter((_, k) => k % 3 === 0).map((d) => d.id));
    // The others row under a story counts the sources beyond `top` by the whole corpus's volume, as without a story.
    expect(framingMix(db, filters({ story: part, top: '1' })).others).toBe(framingMix(db, filters({ top: '1' })).others);
    expect(framingMix(db, filters({ story: part, sources: `${many}` })).rows.map((r) => r.sourceId)).toEqual([many]);
    // Part of the sources' documents: rows named and in the order of the whole corpus's volumes.
    const f = filters({ story: part });
    const everyRow = framingMix(db, filters({})).rows.map((r) => r.source);
    const storyRows = framingMix(db, f).rows.map((r) => r.source);
    expect(storyRows.length).toBeGreaterThan(1);
    expect(storyRows).toEqual(everyRow.filter((name) => storyRows.includes(name)));
    expect(framingMix(db, filters({ story: empty })).rows).toEqual([]);
  });

  it('give the drill-down the counts and pages a scan gives, across sources and past the last item', () => {
    const many = seeded.at(-2)!.sourceId;
    const drills: Omit<DrillDown, 'offset' | 'limit'>[] = [
      {},
      { label: 'critical' },
      { sourceId: many, label: 'analytical' },
      { theme: 'sanctions' },
      { theme: 'sovereignty', label: 'critical' },
      { sourceId: many, theme: 'sovereignty', label: 'integrationist' },
      { period: '2021', granularity: 'year', label: 'critical' },
      { suggested: 'critical', reviewed: 'analytical' },
      { suggested: 'critical' },
      { label: 'no-such-label' },
    ];
    const states = [
      {},
      { from: '2021' },
      { from: '2020-03', to: '2021-11' },
      { basis: 'model', level: 'document' },
      { sources: `${seeded[1]!.sourceId},${many}`, to: '2022' },
      { sources: `${seeded[0]!.sourceId}`, from: '2021-01-15' },
      { status: 'reviewed,adjudicated' },
      { provider: 'openai', basis: 'model' },
    ];
    let compared = 0;
    for (const query of states) {
      const f = filters(query);
      for (const drill of drills) {
        for (const [offset, limit] of [[0, 5], [3, 7], [40, 50], [0, 500], [10_000, 5]] as const) {
          const d = { ...drill, offset, limit };
          const fromRollups = drillDown(db, f, d);
          expect(fromRollups, JSON.stringify({ query, d })).toEqual(drillDown(db, { ...f, scan: true }, d));
          compared += fromRollups.items.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('limit the timeline to the sources with the most counted items, choosing the same ones as a scan', () => {
    for (const granularity of ['month', 'year'] as const) {
      const all = timeline(db, filters({}), granularity);
      const counted = new Map<string, number>();
      // Sources with nothing counted (the never-tagged one) have no timeline to draw or omit.
      for (const r of framingMix(db, filters({})).rows) if (r.counted > 0) counted.set(r.source, r.counted);
      const largest = [...counted.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const top = timeline(db, filters({}), granularity, 1);
      expect(new Set(top.rows.map((r) => r.source)), granularity).toEqual(new Set([largest]));
      expect(top.rows).toEqual(all.rows.filter((r) => r.source === largest));
      expect(top.omitted).toBe(counted.size - 1);
      const scanned = timeline(db, { ...filters({}), scan: true }, granularity, 1);
      expect(JSON.parse(JSON.stringify(scanned))).toEqual(JSON.parse(JSON.stringify(top)));
      expect(timeline(db, filters({}), granularity, 50).omitted).toBe(0);
      // Under a status or provenance filter the facet rows choose the same sources as the scan.
      for (const query of [{ provider: 'openai' }, { status: 'reviewed,disputed' }]) {
        const f = filters(query);
        expect(readsRollups(f)).toBe(true);
        const limited = timeline(db, f, granularity, 1);
        expect(limited.rows.length, JSON.stringify(query)).toBeGreaterThan(0);
        expect(JSON.parse(JSON.stringify(limited))).toEqual(JSON.parse(JSON.stringify(timeline(db, { ...f, scan: true }, granularity, 1))));
      }
    }
  });

  it('give the timeline series the numbers of the timeline rows, over one axis of periods, for sources and groups', () => {
    /** The rows back from a series: one per line and period with a counted item, in period order, then by source id. */
    const rowsOf = (t: TimelineSeries): TimelineRow[] =>
      t.periods
        .flatMap((period, k) =>
          t.series
            .filter((line) => line.counted[k]! > 0)
            .map((line) => ({
              sourceId: line.sourceId,
              source: line.source,
              group: line.group,
              period,
              counted: line.counted[k]!,
              counts: Object.fromEntries(Object.entries(line.counts).map(([id, n]) => [id, n[k]!])),
              shares: Object.fromEntries(Object.entries(line.counts).map(([id, n]) => [id, n[k]! / line.counted[k]!])),
              meanStance: line.meanStance[k]!,
            })),
        );
    const key = (r: TimelineRow) => `${r.period}|${r.group ?? ''}|${String(r.sourceId).padStart(6, '0')}`;
    const sorted = (rows: TimelineRow[]) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    db.run(sql`UPDATE sources SET country = CASE id % 3 WHEN 0 THEN 'RU' WHEN 1 THEN 'BY' END`);
    try {
      const states: Record<string, string>[] = [{}, { from: '2021' }, { from: '2020-03-15', to: '2021-11' }, { status: 'reviewed,disputed' }, { provider: 'openai', basis: 'model' }, { groupBy: 'country' }, { groupBy: 'country', top: '1' }, { level: 'document' }];
      let lines = 0;
      for (const query of states) {
        for (const granularity of ['month', 'year'] as const) {
          for (const limit of [null, 1]) {
            const f = filters(query);
            const series = timelineSeries(db, f, granularity, limit);
            const { rows, ...rest } = timeline(db, f, granularity, limit);
            const { series: _series, periods, ...restOfSeries } = series;
            const what = JSON.stringify({ query, granularity, limit });
            expect(restOfSeries, what).toEqual(rest);
            expect(periods, what).toEqual([...new Set(rows.map((r) => r.period))].sort());
            expect(JSON.parse(JSON.stringify(sorted(rowsOf(series)))), what).toEqual(JSON.parse(JSON.stringify(sorted(rows))));
            expect(series.series.every((line) => line.counted.length === periods.length && line.meanStance.length === periods.length), what).toBe(true);
            lines += series.series.length;
          }
        }
      }
      expect(lines).toBeGreaterThan(30);
      // Lines by volume, as every view ranks its rows.
      expect(timelineSeries(db, filters({}), 'year').series.map((l) => l.source)).toEqual(framingMix(db, filters({})).rows.filter((r) => r.counted > 0).map((r) => r.source));
    } finally {
      db.run(sql`UPDATE sources SET country = NULL`);
    }
  });

  // SQLite only: it runs the SQLite migrations' backfill statements (a PostgreSQL database starts from its own migrations, with nothing to backfill).
  it.skipIf(testDialect() === 'postgres')('are backfilled by their migrations exactly as a rebuild fills them', () => {
    // A database that existed before a rollup table was added (or redefined) gets it filled by the
    // INSERT ... SELECT statements of the latest migration that fills it: they must be the
    // rebuild's own statements.
    const dir = join(import.meta.dirname, '../../db/migrations');
    const statementsOf = (file: string) =>
      readFileSync(join(dir, file), 'utf8')
        .split('--> statement-breakpoint')
        .map((s) =>
          s
            .split('\n')
            .filter((line) => !line.trimStart().startsWith('--'))
            .join(' ')
            .trim()
            .replace(/;$/, '')
            .replace(/\s+/g, ' '),
        )
        .filter((s) => s.startsWith('INSERT INTO'));
    const latest = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
      const byTable = new Map<string, string[]>();
      for (const s of statementsOf(file)) byTable.set(s.split(' ')[2]!, [...(byTable.get(s.split(' ')[2]!) ?? []), s]);
      for (const [table, statements] of byTable) if (ROLLUP_TABLES.includes(table)) latest.set(table, statements);
    }
    expect([...latest.keys()].sort()).toEqual([...ROLLUP_TABLES].sort());
    const rebuilt = rollupSnapshot(db);
    db.$client.transaction(() => {
      for (const t of ROLLUP_TABLES) db.$client.exec(`DELETE FROM ${t}`);
      for (const t of ROLLUP_TABLES) for (const s of latest.get(t)!) db.$client.exec(s);
    })();
    expect(rollupSnapshot(db)).toEqual(rebuilt);
  });

  it('kept by delta equal a rebuild from items', () => {
    const incremental = rollupSnapshot(db);
    expect(incremental.source_rollups!.length).toBeGreaterThan(0);
    expect(incremental.document_rollups!.length).toBeGreaterThan(0);
    rebuildRollups(db);
    expect(rollupSnapshot(db)).toEqual(incremental);
  });
});
