import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.ts';
import { auditLog, documents, items, itemThemes, passages, reviews, sources, suggestions, users } from '../../db/schema/index.ts';
import type { Actor } from '../auth/service.ts';
import { notFound } from '../errors.ts';
import { JsonValueSchema } from '../json.ts';
import { getProtocol, isIndependent, ReviewProtocolSchema, type ReviewProtocol } from './protocol.ts';

/** An item's current state as a reviewer may see it. Decision fields are null when the protocol hides them. */
export const ItemStateSchema = z
  .object({
    id: z.number().int(),
    level: z.enum(items.level.enumValues),
    version: z.number().int(),
    seq: z.number().int(),
    documentId: z.number().int(),
    passageId: z.number().int().nullable(),
    excluded: z.boolean(),
    excludedReason: z.string().nullable(),
    excludedBy: z.enum(passages.excludedBy.enumValues).nullable(),
    reviewStatus: z.enum(items.reviewStatus.enumValues).nullable(),
    reviewCount: z.number().int().nullable(),
    reviewedLabel: z.string().nullable(),
    reviewedStance: z.number().int().nullable(),
    reviewedThemes: z.array(z.string()),
    finalOrigin: z.enum(items.finalOrigin.enumValues).nullable(),
  })
  .meta({ id: 'ItemState' });
export type ItemState = z.infer<typeof ItemStateSchema>;

/** A verified or unverified evidence quote; offsets index the item's text. */
export const EvidenceQuoteSchema = z
  .object({ quote: z.string(), verified: z.boolean(), start: z.number().int().nullable(), end: z.number().int().nullable() })
  .meta({ id: 'EvidenceQuote' });

/** A suggestion as a reviewer sees it beside the text. */
export const SuggestionViewSchema = z
  .object({
    id: z.number().int(),
    label: z.string(),
    stance: z.number().int(),
    themes: z.array(z.string()),
    confidence: z.number().nullable(),
    rationale: z.string().nullable(),
    evidence: z.array(EvidenceQuoteSchema),
    substantive: z.boolean(),
    provider: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    codebookVersion: z.string(),
    runId: z.number().int().nullable(),
    sampleIndex: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'SuggestionView' });
export type SuggestionView = z.infer<typeof SuggestionViewSchema>;

/** One review in an item's history. */
export const ReviewViewSchema = z
  .object({
    id: z.number().int(),
    reviewer: z.string(),
    reviewerId: z.number().int(),
    action: z.enum(reviews.action.enumValues),
    kind: z.enum(reviews.kind.enumValues),
    label: z.string().nullable(),
    stance: z.number().int().nullable(),
    themes: z.array(z.string()),
    note: z.string().nullable(),
    blind: z.boolean(),
    queueOrder: z.enum(reviews.queueOrder.enumValues).nullable(),
    undoesReviewId: z.number().int().nullable(),
    /** Withdrawn by a later undo. */
    undone: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReviewView' });
export type ReviewView = z.infer<typeof ReviewViewSchema>;

/** The passage before or after the item, for context. */
export const ContextPassageSchema = z
  .object({ itemId: z.number().int().nullable(), seq: z.number().int(), text: z.string(), excluded: z.boolean() })
  .meta({ id: 'ContextPassage' });
export type ContextPassage = z.infer<typeof ContextPassageSchema>;

/** Everything the item view shows. */
export const ItemViewSchema = z
  .object({
    item: ItemStateSchema,
    document: z.object({ id: z.number().int(), title: z.string(), author: z.string().nullable(), published: z.string().nullable(), url: z.string().nullable(), language: z.string().nullable() }),
    source: z.object({ id: z.number().int(), name: z.string(), country: z.string().nullable() }),
    /** The item's text (passage or whole document); evidence offsets index it. */
    text: z.string(),
    /** Where `text` starts in `documentText` (UTF-16 code units). */
    textStart: z.number().int(),
    documentText: z.string(),
    previous: ContextPassageSchema.nullable(),
    next: ContextPassageSchema.nullable(),
    /** Every suggestion, newest first; empty in blind mode. */
    suggestions: z.array(SuggestionViewSchema),
    /** How the suggestions agree: count per label and the share holding the most common one. */
    suggestionAgreement: z.object({ total: z.number().int(), labels: z.record(z.string(), z.number().int()), topLabel: z.string().nullable(), topShare: z.number().nullable() }),
    /** The review history this reviewer may see, oldest first. */
    reviews: z.array(ReviewViewSchema),
    blind: z.boolean(),
    /** Reviewers of this item work independently (others' decisions hidden from non-admins). */
    independent: z.boolean(),
    protocol: ReviewProtocolSchema,
  })
  .meta({ id: 'ItemView' });
export type ItemView = z.infer<typeof ItemViewSchema>;

/** An item's state, with decision fields hidden when `hideOthers`. */
export function itemState(db: DbOrTx, itemId: number, hideOthers = false): ItemState {
  const row = db
    .select({ item: items, excludedReason: passages.excludedReason, excludedBy: passages.excludedBy })
    .from(items)
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(eq(items.id, itemId))
    .get();
  if (!row) throw notFound(`item ${itemId} not found`);
  const i = row.item;
  const themes = hideOthers
    ? []
    : db
        .select({ theme: itemThemes.theme })
        .from(itemThemes)
        .where(and(eq(itemThemes.itemId, itemId), eq(itemThemes.kind, 'reviewed')))
        .all()
        .map((t) => t.theme)
        .sort();
  return {
    id: i.id,
    level: i.level,
    version: i.version,
    seq: i.seq,
    documentId: i.documentId,
    passageId: i.passageId,
    excluded: i.excluded,
    excludedReason: row.excludedReason ?? null,
    excludedBy: row.excludedBy ?? null,
    reviewStatus: hideOthers ? null : i.reviewStatus,
    reviewCount: hideOthers ? null : i.reviewCount,
    reviewedLabel: hideOthers ? null : i.reviewedLabel,
    reviewedStance: hideOthers ? null : i.reviewedStance,
    reviewedThemes: themes,
    finalOrigin: hideOthers ? null : i.finalOrigin,
  };
}

/** Whether this reviewer is kept from seeing others' decisions (admins always see everything). */
export function hidesOthers(protocol: ReviewProtocol, randomKey: number, actor: Actor | null): boolean {
  return isIndependent(protocol, randomKey) && actor?.role !== 'admin';
}

/** The item view: the text in its document, suggestions side by side, visible history. */
export function itemView(db: Db, itemId: number, actor: Actor | null): ItemView {
  const row = db
    .select({ item: items, document: documents, source: sources, passage: passages })
    .from(items)
    .innerJoin(documents, eq(documents.id, items.documentId))
    .innerJoin(sources, eq(sources.id, items.sourceId))
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(eq(items.id, itemId))
    .get();
  if (!row) throw notFound(`item ${itemId} not found`);
  const protocol = getProtocol(db);
  const hideOthers = hidesOthers(protocol, row.item.randomKey, actor);
  const blind = protocol.blind && actor?.role !== 'admin';

  const neighbour = (seq: number): ContextPassage | null => {
    if (row.passage === null) return null;
    const p = db
      .select({ seq: passages.seq, text: passages.text, excluded: passages.excluded, itemId: items.id })
      .from(passages)
      .leftJoin(items, eq(items.passageId, passages.id))
      .where(and(eq(passages.documentId, row.document.id), eq(passages.seq, seq)))
      .get();
    return p ? { itemId: p.itemId ?? null, seq: p.seq, text: p.text, excluded: p.excluded } : null;
  };

  const suggestionRows = blind
    ? []
    : db.select().from(suggestions).where(eq(suggestions.itemId, itemId)).orderBy(desc(suggestions.id)).all();
  const labels: Record<string, number> = {};
  for (const s of suggestionRows) labels[s.label] = (labels[s.label] ?? 0) + 1;
  const top = Object.entries(labels).sort((a, b) => b[1] - a[1])[0];

  return {
    item: itemState(db, itemId, hideOthers),
    document: {
      id: row.document.id,
      title: row.document.title,
      author: row.document.author,
      published: row.document.published,
      url: row.document.url,
      language: row.document.language,
    },
    source: { id: row.source.id, name: row.source.name, country: row.source.country },
    text: row.passage?.text ?? row.document.text,
    textStart: row.passage?.start ?? 0,
    documentText: row.document.text,
    previous: row.passage ? neighbour(row.passage.seq - 1) : null,
    next: row.passage ? neighbour(row.passage.seq + 1) : null,
    suggestions: suggestionRows.map((s) => ({
      id: s.id,
      label: s.label,
      stance: s.stance,
      themes: s.themes,
      confidence: s.confidence,
      rationale: s.rationale,
      evidence: s.evidence,
      substantive: s.substantive,
      provider: s.provider,
      model: s.model,
      promptVersion: s.promptVersion,
      codebookVersion: s.codebookVersion,
      runId: s.runId,
      sampleIndex: s.sampleIndex,
      createdAt: s.createdAt,
    })),
    suggestionAgreement: {
      total: suggestionRows.length,
      labels,
      topLabel: top?.[0] ?? null,
      topShare: top ? top[1] / suggestionRows.length : null,
    },
    reviews: reviewHistory(db, itemId, hideOthers ? actor : null),
    blind,
    independent: isIndependent(protocol, row.item.randomKey),
    protocol,
  };
}

/** An item's reviews, oldest first; only `onlyBy`'s own when others are hidden. */
export function reviewHistory(db: DbOrTx, itemId: number, onlyBy: Actor | null): ReviewView[] {
  const rows = db
    .select({ review: reviews, reviewer: users.name })
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.reviewerId))
    .where(onlyBy ? and(eq(reviews.itemId, itemId), eq(reviews.reviewerId, onlyBy.id)) : eq(reviews.itemId, itemId))
    .orderBy(asc(reviews.id))
    .all();
  const undone = new Set(rows.filter((r) => r.review.undoesReviewId !== null).map((r) => r.review.undoesReviewId!));
  return rows.map(({ review: r, reviewer }) => ({
    id: r.id,
    reviewer,
    reviewerId: r.reviewerId,
    action: r.action,
    kind: r.kind,
    label: r.label,
    stance: r.stance,
    themes: r.themes ?? [],
    note: r.note,
    blind: r.blind,
    queueOrder: r.queueOrder,
    undoesReviewId: r.undoesReviewId,
    undone: undone.has(r.id),
    createdAt: r.createdAt,
  }));
}

/** One audit entry about an item; what it records before, after and beside the change differs per action. */
export const HistoryEntrySchema = z
  .object({ id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), before: JsonValueSchema, after: JsonValueSchema, details: JsonValueSchema })
  .meta({ id: 'HistoryEntry' });
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** An item's audit history. */
export const ItemHistorySchema = z.object({ entries: z.array(HistoryEntrySchema) }).meta({ id: 'ItemHistory' });

/** The audit columns hold JSON written by audit(); parsing proves it to the type. */
const JsonEntry = HistoryEntrySchema.pick({ before: true, after: true, details: true });

/**
 * An item's audit history, oldest first: every decision, undo, exclusion change, adjudication
 * and note with who, when, what changed and what they saw. Reviewers working independently see
 * only their own entries.
 */
export function itemHistory(db: Db, itemId: number, actor: Actor | null): HistoryEntry[] {
  const item = db.select({ randomKey: items.randomKey }).from(items).where(eq(items.id, itemId)).get();
  if (!item) throw notFound(`item ${itemId} not found`);
  const onlyOwn = hidesOthers(getProtocol(db), item.randomKey, actor);
  return db
    .select()
    .from(auditLog)
    .where(onlyOwn ? and(eq(auditLog.itemId, itemId), eq(auditLog.actor, actor!.name)) : eq(auditLog.itemId, itemId))
    .orderBy(asc(auditLog.id))
    .all()
    .map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, ...JsonEntry.parse({ before: e.before, after: e.after, details: e.details }) }));
}
