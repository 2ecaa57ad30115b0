import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { documents, imports, items, passages, reviews, reviewThemes, sources, suggestions, suggestionThemes, users } from '../db/schema/index.ts';
import type { EvidenceQuote } from '../db/schema/suggestions.ts';
import { eq } from 'drizzle-orm';
import { getActiveCodebook } from './codebooks/service.ts';
import { charCount } from './items/chars.ts';
import { applySuggestion, applySuggestions, recomputeReviewState, recomputeReviewStates } from './items/state.ts';
import { addDocumentsToRollups, rebuildRollups } from './dashboard/rollups.ts';
import { seededRandom } from './metrics/rng.ts';

/**
 * Test and benchmark fixtures: builds corpora, suggestions and reviews directly (no file
 * parsing, no segmentation) through the same item-state functions the services use.
 */

export interface FixturePassage {
  text: string;
  excluded?: boolean;
  reason?: string;
}
export interface FixtureDocument {
  title: string;
  published?: string;
  passages: FixturePassage[];
}
export interface FixtureSource {
  name: string;
  documents: FixtureDocument[];
}
export interface SeededDocument {
  id: number;
  sourceId: number;
  itemId: number;
  passageIds: number[];
  passageItemIds: number[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function precisionOf(published: string): { precision: 'day' | 'month' | 'year'; start: string } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(published)) return { precision: 'day', start: published };
  if (/^\d{4}-\d{2}$/.test(published)) return { precision: 'month', start: `${published}-01` };
  return { precision: 'year', start: `${published.slice(0, 4)}-01-01` };
}

/** Inserts sources, documents (passage texts joined by blank lines), passages and items. Deterministic random keys. */
export function seedCorpus(db: Db, spec: FixtureSource[]): SeededDocument[] {
  const out: SeededDocument[] = [];
  let counter = 0;
  const nextRandom = () => ((++counter * 2654435761) % 4294967296) / 4294967296;
  db.transaction((tx) => {
    for (const src of spec) {
      const source = tx.insert(sources).values({ name: src.name }).onConflictDoNothing().returning().get() ?? tx.select().from(sources).where(eq(sources.name, src.name)).get()!;
      for (const d of src.documents) {
        const text = d.passages.map((p) => p.text).join('\n\n');
        const date = d.published ? precisionOf(d.published) : null;
        const doc = tx
          .insert(documents)
          .values({
            sourceId: source.id,
            title: d.title,
            published: d.published ?? null,
            publishedPrecision: date?.precision ?? null,
            publishedStart: date?.start ?? null,
            text,
            contentHash: sha256(text),
            language: 'en',
          })
          .returning()
          .get();
        const docItem = tx
          .insert(items)
          .values({ level: 'document', documentId: doc.id, sourceId: source.id, seq: -1, textHash: sha256(text), randomKey: nextRandom(), chars: charCount(text) })
          .returning({ id: items.id })
          .get();
        const passageIds: number[] = [];
        const passageItemIds: number[] = [];
        let offset = 0;
        d.passages.forEach((p, seq) => {
          const excluded = p.excluded ?? false;
          const reason = excluded ? (p.reason ?? 'boilerplate') : null;
          const row = tx
            .insert(passages)
            .values({
              documentId: doc.id,
              seq,
              start: offset,
              end: offset + p.text.length,
              text: p.text,
              excluded,
              excludedReason: reason,
              excludedBy: excluded ? 'auto' : null,
              autoExcluded: excluded,
              autoExcludedReason: reason,
            })
            .returning({ id: passages.id })
            .get();
          const item = tx
            .insert(items)
            .values({ level: 'passage', documentId: doc.id, passageId: row.id, sourceId: source.id, seq, textHash: sha256(p.text), excluded, randomKey: nextRandom(), chars: charCount(p.text) })
            .returning({ id: items.id })
            .get();
          passageIds.push(row.id);
          passageItemIds.push(item.id);
          offset += p.text.length + 2;
        });
        out.push({ id: doc.id, sourceId: source.id, itemId: docItem.id, passageIds, passageItemIds });
      }
    }
    // The new documents join the rollups as an import's batch does: each run of consecutive ids
    // in one set of statements (about 90 on PostgreSQL), not one set a document.
    const ids = out.map((d) => d.id).sort((a, b) => a - b);
    for (let first = 0, k = 1; k <= ids.length; k++) {
      if (k < ids.length && ids[k] === ids[k - 1]! + 1) continue;
      addDocumentsToRollups(tx, ids[first]!, ids[k - 1]!);
      first = k;
    }
  });
  return out;
}

export interface FixtureSuggestion {
  label: string;
  stance: number;
  themes?: string[];
  confidence?: number;
  provider?: string;
  model?: string;
  promptVersion?: string;
  runId?: number | null;
  rationale?: string;
  evidence?: EvidenceQuote[];
}

type ActiveCodebook = ReturnType<typeof getActiveCodebook>;

/** The suggestions row of a fixture suggestion, with its defaults. */
const suggestionRow = (itemId: number, s: FixtureSuggestion, codebook: ActiveCodebook, cacheKey: string) => ({
  itemId,
  runId: s.runId ?? null,
  codebookId: codebook.id,
  label: s.label,
  stance: s.stance,
  themes: s.themes ?? [],
  confidence: s.confidence ?? 0.8,
  rationale: s.rationale ?? 'fixture',
  evidence: s.evidence ?? [],
  provider: s.provider ?? 'local',
  model: s.model ?? 'local-baseline',
  promptVersion: s.promptVersion ?? 'passage-v1',
  promptHash: 'fixture',
  codebookVersion: codebook.version,
  codebookHash: codebook.hash,
  params: {},
  cacheKey,
});

/** Inserts a suggestion for an item (under the active codebook) and updates the item's state. */
export function addSuggestion(db: Db, itemId: number, s: FixtureSuggestion): number {
  const codebook = getActiveCodebook(db);
  return db.transaction((tx) => {
    const themes = s.themes ?? [];
    const row = tx
      .insert(suggestions)
      .values(suggestionRow(itemId, s, codebook, `fixture-${itemId}-${Math.random()}`))
      .returning({ id: suggestions.id })
      .get();
    if (themes.length > 0) tx.insert(suggestionThemes).values(themes.map((theme) => ({ suggestionId: row.id, theme }))).run();
    applySuggestion(tx, row.id);
    return row.id;
  });
}

/**
 * `addSuggestion` for many items in one transaction and a few statements (rows inserted 500 at a
 * time, the items' state and rollups moved once by `applySuggestions`): the same rows as adding
 * them one by one in order, without ~130 round trips each on PostgreSQL. Returns the ids in order.
 */
export function addSuggestions(db: Db, list: readonly (FixtureSuggestion & { itemId: number })[]): number[] {
  const codebook = getActiveCodebook(db);
  const batch = `${Date.now()}-${Math.random()}`;
  return db.transaction((tx) => {
    const ids: number[] = [];
    for (let at = 0; at < list.length; at += 500) {
      const part = list.slice(at, at + 500);
      const keyOf = (k: number) => `fixture-${part[k]!.itemId}-${batch}-${at + k}`;
      const rows = tx
        .insert(suggestions)
        .values(part.map((s, k) => suggestionRow(s.itemId, s, codebook, keyOf(k))))
        .returning({ id: suggestions.id, cacheKey: suggestions.cacheKey })
        .all();
      // RETURNING's row order is not promised: each row is matched by its cache key.
      const byKey = new Map(rows.map((r) => [r.cacheKey, r.id]));
      const partIds = part.map((_, k) => byKey.get(keyOf(k))!);
      const themeRows = part.flatMap((s, k) => (s.themes ?? []).map((theme) => ({ suggestionId: partIds[k]!, theme })));
      if (themeRows.length > 0) tx.insert(suggestionThemes).values(themeRows).run();
      ids.push(...partIds);
    }
    applySuggestions(tx, ids);
    return ids;
  });
}

export interface FixtureReview {
  reviewer: string;
  action: 'accept' | 'edit' | 'reject' | 'skip' | 'exclude' | 'include' | 'adjudicate' | 'undo';
  label?: string | null;
  stance?: number | null;
  themes?: string[];
  kind?: 'manual' | 'bulk' | 'import';
  undoesReviewId?: number;
  note?: string;
  role?: 'admin' | 'reviewer' | 'import';
  /** What the reviewer saw (an open reject's rejected label is `shown.suggestion.label`). */
  shown?: unknown;
  suggestionId?: number;
  importId?: number;
  queueOrder?: 'confidence' | 'document' | 'random' | 'disputed';
  blind?: boolean;
  createdAt?: string;
}

/** Inserts a review by the named reviewer (created if needed) and recomputes the item's state. */
/** The reviews row of a fixture review, with its defaults. */
const reviewRow = (itemId: number, r: FixtureReview, reviewerId: number, codebook: ActiveCodebook) => ({
  itemId,
  reviewerId,
  action: r.action,
  kind: r.kind ?? 'manual',
  codebookId: codebook.id,
  label: r.label ?? null,
  stance: r.stance ?? null,
  themes: r.themes ?? null,
  note: r.note ?? null,
  undoesReviewId: r.undoesReviewId ?? null,
  shown: r.shown ?? null,
  suggestionId: r.suggestionId ?? null,
  importId: r.importId ?? null,
  queueOrder: r.queueOrder ?? null,
  blind: r.blind ?? false,
  ...(r.createdAt ? { createdAt: r.createdAt } : {}),
});

export function addReview(db: Db, itemId: number, r: FixtureReview): number {
  const codebook = getActiveCodebook(db);
  return db.transaction((tx) => {
    const user =
      tx.select().from(users).where(eq(users.name, r.reviewer)).get() ??
      tx.insert(users).values({ name: r.reviewer, role: r.role ?? 'reviewer' }).returning().get();
    const row = tx.insert(reviews).values(reviewRow(itemId, r, user.id, codebook)).returning({ id: reviews.id }).get();
    if (r.themes && r.themes.length > 0) tx.insert(reviewThemes).values([...new Set(r.themes)].map((theme) => ({ reviewId: row.id, theme }))).run();
    recomputeReviewState(tx, itemId);
    return row.id;
  });
}

/**
 * `addReview` for many reviews in one transaction: each inserted and its item's state recomputed
 * in order (so an item's version moves as it would review by review), the rollups moved once for
 * all the items (`recomputeReviewStates`) instead of ~130 round trips a review on PostgreSQL.
 */
export function addReviews(db: Db, list: readonly (FixtureReview & { itemId: number })[]): number[] {
  const codebook = getActiveCodebook(db);
  return db.transaction((tx) => {
    const userIds = new Map<string, number>();
    const userOf = (r: FixtureReview) => {
      let id = userIds.get(r.reviewer);
      if (id === undefined) {
        id = (tx.select().from(users).where(eq(users.name, r.reviewer)).get() ?? tx.insert(users).values({ name: r.reviewer, role: r.role ?? 'reviewer' }).returning().get()).id;
        userIds.set(r.reviewer, id);
      }
      return id;
    };
    return recomputeReviewStates(tx, [...new Set(list.map((r) => r.itemId))], (recompute) =>
      list.map((r) => {
        const row = tx.insert(reviews).values(reviewRow(r.itemId, r, userOf(r), codebook)).returning({ id: reviews.id }).get();
        if (r.themes && r.themes.length > 0) tx.insert(reviewThemes).values([...new Set(r.themes)].map((theme) => ({ reviewId: row.id, theme }))).run();
        recompute(r.itemId);
        return row.id;
      }),
    );
  });
}

/** Records an import (as a file import would) whose labels fixtures can attach with `importId`. */
export function addImport(db: Db, name: string, opts: { gold?: boolean } = {}): number {
  return db.insert(imports).values({ name, format: 'csv', origin: 'cli', gold: opts.gold ?? false }).returning({ id: imports.id }).get().id;
}

/** A large generated corpus: how many of what, and each passage's text. */
export interface BulkCorpusSpec {
  sources: number;
  documents: number;
  passagesPerDocument: number;
  /** The text of passage `seq` of document `doc` (0-based); make them distinct so nothing is answered from the cache. */
  passageText: (doc: number, seq: number) => string;
  /** Seed of the items' random keys (default 1). */
  seed?: number;
}

/**
 * Inserts a large corpus straight through prepared statements in batches of documents, then
 * rebuilds the rollups once: what tests and benches at 50,000 to 1,000,000 passages use (the
 * importer would segment and check every row, and seedCorpus builds a query per row).
 */
export function seedBulkCorpus(db: Db, spec: BulkCorpusSpec): { documents: number; passages: number } {
  const c = db.$client;
  const random = seededRandom(spec.seed ?? 1);
  const insSource = c.prepare('INSERT INTO sources (name) VALUES (?)');
  const insDoc = c.prepare("INSERT INTO documents (source_id, title, published, published_precision, published_start, language, text, content_hash) VALUES (?, ?, ?, 'day', ?, 'en', ?, ?)");
  const insPassage = c.prepare('INSERT INTO passages (document_id, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)');
  const insItem = c.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, random_key, chars) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const sourceIds = c.transaction(() => Array.from({ length: spec.sources }, (_, s) => Number(insSource.run(`Bulk outlet ${s + 1}`).lastInsertRowid)))();
  const BATCH = 500;
  for (let first = 0; first < spec.documents; first += BATCH) {
    c.transaction(() => {
      for (let d = first; d < Math.min(spec.documents, first + BATCH); d++) {
        const texts = Array.from({ length: spec.passagesPerDocument }, (_, seq) => spec.passageText(d, seq));
        const text = texts.join('\n\n');
        const sourceId = sourceIds[d % spec.sources]!;
        const day = `20${String(10 + (d % 15)).padStart(2, '0')}-${String(1 + (d % 12)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')}`;
        const documentId = Number(insDoc.run(sourceId, `Bulk document ${d + 1}`, day, day, text, sha256(text)).lastInsertRowid);
        insItem.run('document', documentId, null, sourceId, -1, sha256(text), random(), charCount(text));
        let offset = 0;
        texts.forEach((t, seq) => {
          const passageId = Number(insPassage.run(documentId, seq, offset, offset + t.length, t).lastInsertRowid);
          insItem.run('passage', documentId, passageId, sourceId, seq, sha256(t), random(), charCount(t));
          offset += t.length + 2;
        });
      }
    })();
  }
  rebuildRollups(db);
  return { documents: spec.documents, passages: spec.documents * spec.passagesPerDocument };
}

const BULK_WORDS = (
  'government minister council treaty union market border energy pipeline trade customs policy election region capital economy sanctions ' +
  'security alliance summit agreement partner neighbour history memory sovereignty integration institution parliament president official ' +
  'analyst report study survey growth investment industry brotherly imperial pressure regime elites war army gas oil west multipolar'
).split(' ');

/** A distinct passage of two or three sentences (about 40 words) for bulk corpora. */
export function bulkPassageText(doc: number, seq: number): string {
  const r = seededRandom(doc * 1_000 + seq + 1);
  const sentences = Array.from({ length: 2 + Math.floor(r() * 2) }, () => `${Array.from({ length: 12 + Math.floor(r() * 10) }, () => BULK_WORDS[Math.floor(r() * BULK_WORDS.length)]!).join(' ')}.`);
  return `Passage ${doc}-${seq}: ${sentences.join(' ')}`;
}
