import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.ts';
import { perConnection } from '../../db/prepared.ts';
import { documents, items, itemThemes, passages, reviews, sources, suggestions, users } from '../../db/schema/index.ts';
import { requireAdmin, type Actor } from '../auth/service.ts';
import { forbidden, notFound } from '../errors.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { nearGuess } from '../tagging/quality.ts';
import { getProtocol, isIndependent, ReviewProtocolSchema } from './protocol.ts';
import { requiredDecisions, visibility, type ViewMode } from './visibility.ts';

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
    /** The confidence is close to an even guess over the codebook's labels (api/tagging/quality.ts). */
    nearGuess: z.boolean(),
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

/** A person's own standing decision on an item. */
export const OwnDecisionSchema = z
  .object({
    reviewId: z.number().int(),
    action: z.enum(['accept', 'edit', 'reject']),
    label: z.string().nullable(),
    stance: z.number().int().nullable(),
    themes: z.array(z.string()),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'OwnDecision' });
export type OwnDecision = z.infer<typeof OwnDecisionSchema>;

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
    /** The document's passages as offsets into `documentText`, with boilerplate marked: the whole-document view shows them. */
    documentPassages: z.array(z.object({ itemId: z.number().int().nullable(), seq: z.number().int(), start: z.number().int(), end: z.number().int(), excluded: z.boolean(), excludedReason: z.string().nullable() })),
    previous: ContextPassageSchema.nullable(),
    next: ContextPassageSchema.nullable(),
    /** Every suggestion, newest first; empty in blind mode. */
    suggestions: z.array(SuggestionViewSchema),
    /** How the suggestions agree: count per label and the share holding the most common one. */
    suggestionAgreement: z.object({ total: z.number().int(), labels: z.record(z.string(), z.number().int()), topLabel: z.string().nullable(), topShare: z.number().nullable() }),
    /** The review history this reviewer may see, oldest first. */
    reviews: z.array(ReviewViewSchema),
    /** The model's suggestions are hidden from this coder until they decide (blind mode). */
    blind: z.boolean(),
    /** Coders of this item work independently: others' decisions are hidden from a coder until they decide. */
    independent: z.boolean(),
    /** Other coders' decisions are hidden from this viewer now. */
    othersHidden: z.boolean(),
    /** code: deciding as one of the item's coders; adjudicate: an admin settling it, seeing everything. */
    mode: z.enum(['code', 'adjudicate']),
    /** This person's own standing decision: what the panel shows and edits. */
    mine: OwnDecisionSchema.nullable(),
    /** Independent decisions the item needs before it can be adjudicated, and has. */
    adjudication: z.object({ required: z.number().int(), independent: z.number().int(), ready: z.boolean() }),
    protocol: ReviewProtocolSchema,
  })
  .meta({ id: 'ItemView' });
export type ItemView = z.infer<typeof ItemViewSchema>;

const stateQueries = perConnection((db) => ({
  item: db
    .select({ item: items, excludedReason: passages.excludedReason, excludedBy: passages.excludedBy })
    .from(items)
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
  themes: db
    .select({ theme: itemThemes.theme })
    .from(itemThemes)
    .where(and(eq(itemThemes.itemId, sql.placeholder('itemId')), eq(itemThemes.kind, 'reviewed')))
    .prepare(),
}));

/** An item's state, with decision fields hidden when `hideOthers`. */
export function itemState(db: DbOrTx, itemId: number, hideOthers = false): ItemState {
  const q = stateQueries(db);
  const row = q.item.get({ itemId });
  if (!row) throw notFound(`item ${itemId} not found`);
  const i = row.item;
  const state: ItemState = {
    id: i.id,
    level: i.level,
    version: i.version,
    seq: i.seq,
    documentId: i.documentId,
    passageId: i.passageId,
    excluded: i.excluded,
    excludedReason: row.excludedReason ?? null,
    excludedBy: row.excludedBy ?? null,
    reviewStatus: i.reviewStatus,
    reviewCount: i.reviewCount,
    reviewedLabel: i.reviewedLabel,
    reviewedStance: i.reviewedStance,
    reviewedThemes: hideOthers ? [] : q.themes.all({ itemId }).map((t) => t.theme).sort(),
    finalOrigin: i.finalOrigin,
  };
  return hideOthers ? withOthersHidden(state) : state;
}

/** An item's state as a coder who may not see other people's decisions sees it: the decision fields emptied. */
export function withOthersHidden(state: ItemState): ItemState {
  return { ...state, reviewStatus: null, reviewCount: null, reviewedLabel: null, reviewedStance: null, reviewedThemes: [], finalOrigin: null };
}

const viewQueries = perConnection((db) => ({
  row: db
    .select({ item: items, document: documents, source: sources, passage: passages })
    .from(items)
    .innerJoin(documents, eq(documents.id, items.documentId))
    .innerJoin(sources, eq(sources.id, items.sourceId))
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(eq(items.id, sql.placeholder('itemId')))
    .prepare(),
  neighbour: db
    .select({ seq: passages.seq, text: passages.text, excluded: passages.excluded, itemId: items.id })
    .from(passages)
    .leftJoin(items, eq(items.passageId, passages.id))
    .where(and(eq(passages.documentId, sql.placeholder('documentId')), eq(passages.seq, sql.placeholder('seq'))))
    .prepare(),
  suggestions: db.select().from(suggestions).where(eq(suggestions.itemId, sql.placeholder('itemId'))).orderBy(desc(suggestions.id)).prepare(),
  documentPassages: db
    .select({ itemId: items.id, seq: passages.seq, start: passages.start, end: passages.end, excluded: passages.excluded, excludedReason: passages.excludedReason })
    .from(passages)
    .leftJoin(items, eq(items.passageId, passages.id))
    .where(eq(passages.documentId, sql.placeholder('documentId')))
    .orderBy(asc(passages.seq))
    .prepare(),
}));

/**
 * The item view: the text in its document, suggestions side by side, visible history, and the
 * viewer's own standing decision. In `adjudicate` mode (admins only) everything is visible;
 * coding follows api/review/visibility.ts.
 */
export function itemView(db: Db, itemId: number, actor: Actor | null, mode: ViewMode = 'code'): ItemView {
  if (mode === 'adjudicate') {
    if (!actor) throw forbidden('adjudication needs an admin', 'admin_only');
    requireAdmin(actor);
  }
  const q = viewQueries(db);
  const row = q.row.get({ itemId });
  if (!row) throw notFound(`item ${itemId} not found`);
  const protocol = getProtocol(db);
  const labelCount = getActiveCodebook(db).definition.labels.length;
  const { blind, hideOthers, mine } = visibility(db, protocol, row.item, actor, mode);
  const required = requiredDecisions(protocol, row.item.randomKey);

  const neighbour = (seq: number): ContextPassage | null => {
    if (row.passage === null) return null;
    const p = q.neighbour.get({ documentId: row.document.id, seq });
    return p ? { itemId: p.itemId ?? null, seq: p.seq, text: p.text, excluded: p.excluded } : null;
  };

  const suggestionRows = blind
    ? []
    : q.suggestions.all({ itemId });
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
    documentPassages: q.documentPassages.all({ documentId: row.document.id }),
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
      nearGuess: nearGuess(s.confidence, labelCount),
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
    othersHidden: hideOthers,
    mode,
    mine: mine && {
      reviewId: mine.id,
      action: mine.action as OwnDecision['action'],
      label: mine.label,
      stance: mine.stance,
      themes: [...new Set(mine.themes ?? [])].sort(),
      note: mine.note,
      createdAt: mine.createdAt,
    },
    adjudication: { required, independent: row.item.independentCount, ready: row.item.independentCount >= required },
    protocol,
  };
}

const historyQueries = perConnection((db) => {
  const history = (where: SQL) => db.select({ review: reviews, reviewer: users.name }).from(reviews).innerJoin(users, eq(users.id, reviews.reviewerId)).where(where).orderBy(asc(reviews.id)).prepare();
  return {
    all: history(eq(reviews.itemId, sql.placeholder('itemId'))),
    by: history(and(eq(reviews.itemId, sql.placeholder('itemId')), eq(reviews.reviewerId, sql.placeholder('reviewerId')))!),
  };
});

/** An item's reviews, oldest first; only `onlyBy`'s own when others are hidden. */
export function reviewHistory(db: DbOrTx, itemId: number, onlyBy: Actor | null): ReviewView[] {
  const q = historyQueries(db);
  const rows = onlyBy ? q.by.all({ itemId, reviewerId: onlyBy.id }) : q.all.all({ itemId });
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
