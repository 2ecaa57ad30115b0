import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { documents, imports, items, passages, reviews, reviewThemes, sources, suggestions, suggestionThemes, users } from '../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { getActiveCodebook } from './codebooks/service.ts';
import { applySuggestion, recomputeReviewState } from './items/state.ts';
import { addDocumentToRollups } from './dashboard/rollups.ts';

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
          .values({ level: 'document', documentId: doc.id, sourceId: source.id, seq: -1, textHash: sha256(text), randomKey: nextRandom() })
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
            .values({ level: 'passage', documentId: doc.id, passageId: row.id, sourceId: source.id, seq, textHash: sha256(p.text), excluded, randomKey: nextRandom() })
            .returning({ id: items.id })
            .get();
          passageIds.push(row.id);
          passageItemIds.push(item.id);
          offset += p.text.length + 2;
        });
        addDocumentToRollups(tx, doc.id);
        out.push({ id: doc.id, sourceId: source.id, itemId: docItem.id, passageIds, passageItemIds });
      }
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
}

/** Inserts a suggestion for an item (under the active codebook) and updates the item's state. */
export function addSuggestion(db: Db, itemId: number, s: FixtureSuggestion): number {
  const codebook = getActiveCodebook(db);
  return db.transaction((tx) => {
    const themes = s.themes ?? [];
    const row = tx
      .insert(suggestions)
      .values({
        itemId,
        runId: s.runId ?? null,
        codebookId: codebook.id,
        label: s.label,
        stance: s.stance,
        themes,
        confidence: s.confidence ?? 0.8,
        rationale: 'fixture',
        evidence: [],
        provider: s.provider ?? 'local',
        model: s.model ?? 'local-baseline',
        promptVersion: s.promptVersion ?? 'passage-v1',
        promptHash: 'fixture',
        codebookVersion: codebook.version,
        codebookHash: codebook.hash,
        params: {},
        cacheKey: `fixture-${itemId}-${Math.random()}`,
      })
      .returning({ id: suggestions.id })
      .get();
    if (themes.length > 0) tx.insert(suggestionThemes).values(themes.map((theme) => ({ suggestionId: row.id, theme }))).run();
    applySuggestion(tx, row.id);
    return row.id;
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
export function addReview(db: Db, itemId: number, r: FixtureReview): number {
  const codebook = getActiveCodebook(db);
  return db.transaction((tx) => {
    const user =
      tx.select().from(users).where(eq(users.name, r.reviewer)).get() ??
      tx.insert(users).values({ name: r.reviewer, role: r.role ?? 'reviewer' }).returning().get();
    const row = tx
      .insert(reviews)
      .values({
        itemId,
        reviewerId: user.id,
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
      })
      .returning({ id: reviews.id })
      .get();
    if (r.themes && r.themes.length > 0) tx.insert(reviewThemes).values([...new Set(r.themes)].map((theme) => ({ reviewId: row.id, theme }))).run();
    recomputeReviewState(tx, itemId);
    return row.id;
  });
}

/** Records an import (as a file import would) whose labels fixtures can attach with `importId`. */
export function addImport(db: Db, name: string, opts: { gold?: boolean } = {}): number {
  return db.insert(imports).values({ name, format: 'csv', origin: 'cli', gold: opts.gold ?? false }).returning({ id: imports.id }).get().id;
}
