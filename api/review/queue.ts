import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../auth/service.ts';
import { REVIEW_STATUSES } from '../../db/schema/vocabulary.ts';
import { badRequest } from '../errors.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';
import { clientOf } from '../dashboard/rollups.ts';
import { resolveSources } from '../ingest/sourceNames.ts';
import { comparisonDisagreements } from '../evals/comparison.ts';
import { getComparison } from '../tagging/comparisons.ts';
import { nearGuess } from '../tagging/quality.ts';
import { getProtocol, isIndependent, type ReviewProtocol } from './protocol.ts';
import { QUEUE_ORDERS, type QueueFilterKey, type QueueOrder } from './queue-params.ts';
import { dialectFor, jsonArrayLengthOf, jsonArrayValues } from '../../db/sqlDialect.ts';

/** One of `values`, given as text (a URL) or in a JSON body. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.string().pipe(z.enum(values));
/** Source ids or exact names (api/ingest/sourceNames.ts): `3,7` in a URL, `[3, 7]` (or `"3,7"`) in a JSON body. */
const sourceTokens = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .transform((v) => (Array.isArray(v) ? v : typeof v === 'number' ? [v] : v.split(',')).map((t) => String(t).trim()).filter((t) => t !== ''))
  .pipe(z.array(z.string()).max(MAX_IDS_PER_LIST, tooManyIds()))
  .optional();
const number = z.union([z.string(), z.number()]).pipe(z.coerce.number());
const confidence = number.pipe(z.number().min(0).max(1)).optional();

/**
 * What a queue (and a bulk accept) selects. Every field also lives in the page URL, so each
 * takes its text form; a JSON body may give numbers and lists as such.
 */
export const QueueFilterSchema = z.object({
  level: oneOf(['passage', 'document']).default('passage'),
  status: oneOf(['unreviewed', 'reviewed', 'rejected', 'disputed', 'excluded']).optional(),
  sources: sourceTokens,
  document: number.pipe(z.number().int().positive()).optional(),
  /** The latest suggestion's label (a codebook label id). */
  label: z.string().min(1).optional(),
  /** A theme id among the suggested or reviewed themes. */
  theme: z.string().min(1).optional(),
  minConfidence: confidence,
  maxConfidence: confidence,
  provider: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  promptVersion: z.string().min(1).optional(),
  /** models: suggestions disagree; reviewers: reviewers disagree; model-reviewer: the decision differs from the suggestion. */
  disagreement: oneOf(['models', 'reviewers', 'model-reviewer', 'any']).optional(),
  /** Only the stored sample of this model comparison (api/tagging/comparisons.ts). */
  comparison: number.pipe(z.number().int().positive()).optional(),
  /** With `comparison`: `1` keeps only the items where the comparison's arms gave different labels. */
  disagree: oneOf(['0', '1']).optional(),
} satisfies Record<QueueFilterKey, z.ZodType>);
export type QueueFilter = z.infer<typeof QueueFilterSchema>;

/** The queue page's query: the filter, an ordering, a page size and the cursor of the page before. */
export const QueueQuerySchema = QueueFilterSchema.extend({
  // The random sample by default: it feeds the corrected estimates, and least-confident-first opens a weak model's queue on its near-guesses.
  order: z.enum(QUEUE_ORDERS).default('random'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});


/** One row of the queue list. */
export const QueueEntrySchema = z
  .object({
    itemId: z.number().int(),
    level: z.enum(['passage', 'document']),
    documentId: z.number().int(),
    documentTitle: z.string(),
    sourceName: z.string(),
    published: z.string().nullable(),
    seq: z.number().int(),
    snippet: z.string(),
    suggestedLabel: z.string().nullable(),
    suggestedConfidence: z.number().nullable(),
    suggestionAgreement: z.number().nullable(),
    /** The suggestion's confidence is close to an even guess over the codebook's labels. */
    nearGuess: z.boolean(),
    /** null (with reviewedLabel and reviewCount) when the protocol hides others' decisions from this reviewer. */
    reviewStatus: z.enum(REVIEW_STATUSES).nullable(),
    reviewedLabel: z.string().nullable(),
    reviewCount: z.number().int().nullable(),
    excluded: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'QueueEntry' });
export type QueueEntry = z.infer<typeof QueueEntrySchema>;

/** One page of the queue. */
export const QueuePageSchema = z
  .object({
    entries: z.array(QueueEntrySchema),
    /** Pass back as `cursor` for the next page; null at the end. */
    nextCursor: z.string().nullable(),
    /** Items matching the filter (all pages); null on pages after the first. */
    total: z.number().int().nullable(),
  })
  .meta({ id: 'QueuePage' });
export type QueuePage = z.infer<typeof QueuePageSchema>;

/** A queue row as SQLite returns it (booleans are 0/1), with the page's sort keys k0, k1, .... */
type QueueRow = Omit<QueueEntry, 'excluded' | 'reviewStatus' | 'reviewCount'> & {
  excluded: number;
  randomKey: number;
  /** 1 when this reviewer has a standing decision on the item. */
  mine: number;
  reviewStatus: (typeof REVIEW_STATUSES)[number];
  reviewCount: number;
  [key: `k${number}`]: number | string | null;
};

/**
 * Sort keys per ordering, all ascending so a keyset cursor is one row-value comparison that an
 * index can range over. Plain columns where an index (items_queue_conf_idx, items_document_idx,
 * items_queue_random_idx) already holds the order; only "most disputed" sorts an expression.
 * In "least confident", items without a suggestion (NULL) come first, as SQLite orders NULLs.
 */
const SORT_KEYS: Record<QueueOrder, SQL[]> = {
  confidence: [sql`i.suggested_confidence`, sql`i.id`],
  document: [sql`i.document_id`, sql`i.seq`, sql`i.id`],
  random: [sql`i.random_key`, sql`i.id`],
  disputed: [
    sql`CASE WHEN i.review_status = 'disputed' THEN 0 ELSE 1 END`,
    sql`COALESCE(i.suggestion_agreement, 1)`,
    sql`-i.review_count`,
    sql`i.id`,
  ],
};

/** Rows strictly after the cursor in key order; a NULL first key (no confidence yet) sorts before every value. */
function afterCursor(keys: SQL[], values: (number | string | null)[]): SQL {
  const [first, ...rest] = keys;
  const [v0, ...restValues] = values;
  const tail = sql`(${sql.join(rest, sql`, `)}) > (${sql.join(restValues.map((v) => sql`${v}`), sql`, `)})`;
  if (v0 === null) return sql`((${first} IS NULL AND ${tail}) OR ${first} IS NOT NULL)`;
  return sql`(${sql.join(keys, sql`, `)}) > (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

/** A sort key in ORDER BY: "least confident" puts items without a suggestion first, as SQLite orders NULLs and PostgreSQL does only when told. */
const orderTerm = (order: QueueOrder, position: number, key: SQL): SQL => (order === 'confidence' && position === 0 ? sql`${key} NULLS FIRST` : key);

const DECIDED = sql`('accept', 'edit', 'reject')`;

/** The WHERE clause of a filter, for one reviewer (overlap mode makes "unreviewed" personal). */
export function filterCondition(db: DbOrTx, f: QueueFilter, actor: Actor | null, protocol: ReviewProtocol): SQL {
  const parts: SQL[] = [sql`i.level = ${f.level}`];
  // Excluded passages are kept but never counted: they have their own view (status=excluded)
  // and stay out of every other one, "any status" included, so boilerplate never heads a queue.
  parts.push(f.status === 'excluded' ? sql`i.excluded = TRUE` : sql`i.excluded = FALSE`);
  if (f.status === 'unreviewed') {
    if (protocol.overlap > 1 && actor) {
      // Needs this reviewer: fewer independent decisions than wanted, none of them (standing) by this reviewer.
      parts.push(sql`i.review_status <> 'adjudicated'`);
      parts.push(sql`i.review_count < CASE WHEN i.random_key < ${protocol.overlapShare} THEN ${protocol.overlap} ELSE 1 END`);
      parts.push(sql`NOT EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.reviewer_id = ${actor.id} AND r.action IN ${DECIDED}
        AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.undoes_review_id = r.id))`);
    } else parts.push(sql`i.review_status = 'unreviewed'`);
  }
  if (f.status === 'reviewed') parts.push(sql`i.review_status IN ('reviewed', 'adjudicated')`);
  if (f.status === 'rejected') parts.push(sql`i.review_status = 'rejected'`);
  if (f.status === 'disputed') parts.push(sql`i.review_status = 'disputed'`);
  if (f.sources && f.sources.length > 0) {
    const ids = resolveSources(clientOf(db), f.sources).map((s) => s.id);
    parts.push(sql`i.source_id IN (${sql.join(ids.map((s) => sql`${s}`), sql`, `)})`);
  }
  if (f.document !== undefined) parts.push(sql`i.document_id = ${f.document}`);
  if (f.label !== undefined) parts.push(sql`i.suggested_label = ${f.label}`);
  if (f.theme !== undefined) parts.push(sql`EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id AND t.theme = ${f.theme})`);
  if (f.minConfidence !== undefined) parts.push(sql`i.suggested_confidence >= ${f.minConfidence}`);
  if (f.maxConfidence !== undefined) parts.push(sql`i.suggested_confidence <= ${f.maxConfidence}`);
  if (f.provider !== undefined || f.model !== undefined || f.promptVersion !== undefined) {
    const s: SQL[] = [sql`s.item_id = i.id`];
    if (f.provider !== undefined) s.push(sql`s.provider = ${f.provider}`);
    if (f.model !== undefined) s.push(sql`s.model = ${f.model}`);
    if (f.promptVersion !== undefined) s.push(sql`s.prompt_version = ${f.promptVersion}`);
    parts.push(sql`EXISTS (SELECT 1 FROM suggestions s WHERE ${sql.join(s, sql` AND `)})`);
  }
  const models = sql`i.suggestion_agreement < 1`;
  const reviewers = sql`i.review_status = 'disputed'`;
  const modelReviewer = sql`(i.reviewed_label IS NOT NULL AND i.suggested_label IS NOT NULL AND i.reviewed_label <> i.suggested_label)`;
  if (f.disagreement === 'models') parts.push(models);
  if (f.disagreement === 'reviewers') parts.push(reviewers);
  if (f.disagreement === 'model-reviewer') parts.push(modelReviewer);
  if (f.disagreement === 'any') parts.push(sql`(${models} OR ${reviewers} OR ${modelReviewer})`);
  if (f.disagree === '1' && f.comparison === undefined) throw badRequest('disagree=1 needs comparison=ID: the disagreements are those of one model comparison', 'invalid_input');
  if (f.comparison !== undefined) {
    getComparison(db, f.comparison);
    if (f.disagree === '1') parts.push(sql`i.id IN (${jsonArrayValues(dialectFor(db), sql`${JSON.stringify(comparisonDisagreements(db, f.comparison))}`, 'integer')})`);
    else parts.push(sql`i.id IN (SELECT item_id FROM model_comparison_items WHERE comparison_id = ${f.comparison})`);
  }
  return sql.join(parts, sql` AND `);
}

function decodeCursor(cursor: string, width: number): (number | string | null)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === width && values.every((v) => v === null || typeof v === 'number' || typeof v === 'string')) return values;
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor is not one this queue handed out', 'invalid_cursor');
}

/**
 * One page of the review queue: filtered and ordered in SQL over `items` (keyset paging, so a
 * page costs the same at item 100,000 as at item 1). In blind mode reviewers do not see
 * suggestions in the list either.
 */
export function queuePage(
  db: DbOrTx,
  actor: Actor | null,
  filter: QueueFilter,
  opts: { order: QueueOrder; limit: number; cursor?: string | undefined },
): QueuePage {
  const protocol = getProtocol(db);
  const where = filterCondition(db, filter, actor, protocol);
  const keys = SORT_KEYS[opts.order];
  const after = opts.cursor ? sql` AND ${afterCursor(keys, decodeCursor(opts.cursor, keys.length))}` : sql``;
  const keyNames = keys.map((_, n) => sql.raw(`k${n}`));
  // Order and limit over items alone, then join the page's few rows for display.
  const rows = db.all<QueueRow>(sql`
    WITH page AS (
      SELECT i.id, ${sql.join(keys.map((k, n) => sql`${k} AS ${keyNames[n]}`), sql`, `)}
      FROM items i WHERE ${where}${after}
      ORDER BY ${sql.join(keys.map((k, n) => orderTerm(opts.order, n, k)), sql`, `)}
      LIMIT ${opts.limit + 1}
    )
    SELECT i.id AS "itemId", i.level, i.document_id AS "documentId", d.title AS "documentTitle", src.name AS "sourceName",
      d.published, i.seq, substr(COALESCE(p.text, d.text), 1, 200) AS snippet,
      i.suggested_label AS "suggestedLabel", i.suggested_confidence AS "suggestedConfidence",
      i.suggestion_agreement AS "suggestionAgreement", i.review_status AS "reviewStatus", i.reviewed_label AS "reviewedLabel",
      i.review_count AS "reviewCount", i.excluded, i.version, i.random_key AS "randomKey",
      ${actor ? sql`EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.reviewer_id = ${actor.id} AND r.action IN ${DECIDED} AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.undoes_review_id = r.id))` : sql`0`} AS mine,
      ${sql.join(keyNames.map((k) => sql`page.${k} AS ${k}`), sql`, `)}
    FROM page
    JOIN items i ON i.id = page.id
    JOIN documents d ON d.id = i.document_id
    JOIN sources src ON src.id = i.source_id
    LEFT JOIN passages p ON p.id = i.passage_id
    ORDER BY ${sql.join(keyNames.map((k, n) => orderTerm(opts.order, n, sql`page.${k}`)), sql`, `)}
  `);
  const more = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit);
  // The same rule as the item view (visibility.ts): blind to the model, and to other coders of an
  // item needing independent decisions, until this reviewer has decided it; admins alike.
  const labelCount = db.get<{ n: number | null } | undefined>(sql`SELECT ${jsonArrayLengthOf(dialectFor(db), sql`definition`, 'labels')} AS n FROM codebooks WHERE active = TRUE`)?.n ?? 0;
  const entries = page.map((r): QueueEntry => {
    const hideSuggestion = protocol.blind && r.mine !== 1;
    const hideOthers = isIndependent(protocol, r.randomKey) && r.mine !== 1;
    return {
      itemId: r.itemId,
      level: r.level,
      documentId: r.documentId,
      documentTitle: r.documentTitle,
      sourceName: r.sourceName,
      published: r.published,
      seq: r.seq,
      snippet: r.snippet,
      suggestedLabel: hideSuggestion ? null : r.suggestedLabel,
      suggestedConfidence: hideSuggestion ? null : r.suggestedConfidence,
      suggestionAgreement: hideSuggestion ? null : r.suggestionAgreement,
      nearGuess: !hideSuggestion && nearGuess(r.suggestedConfidence, labelCount),
      reviewStatus: hideOthers ? null : r.reviewStatus,
      reviewedLabel: hideOthers ? null : r.reviewedLabel,
      reviewCount: hideOthers ? null : r.reviewCount,
      excluded: r.excluded === 1,
      version: r.version,
    };
  });
  const last = page.at(-1);
  const nextCursor = more && last ? Buffer.from(JSON.stringify(keys.map((_, n) => last[`k${n}`]))).toString('base64url') : null;
  // Counted for the first page only: later pages keep the count the reviewer started with.
  const total = opts.cursor ? null : queueTotal(db, filter, actor, protocol, where);
  return { entries, nextCursor, total };
}

/** Filter keys source_status_rollups can answer (with `level`). */
const ROLLUP_KEYS = new Set<string>(['level', 'status', 'sources']);

/**
 * Items a filter selects. A filter of level, status and sources alone is a sum over
 * source_status_rollups (kept by delta in the transaction of every write that moves an item's
 * status, excluded passages left out as here): counting the items read 300,000 index entries,
 * ~20 ms of the first page at 100,000 documents. Any other filter, the excluded view and the
 * personal "unreviewed" of an overlap protocol count the items.
 */
function queueTotal(db: DbOrTx, f: QueueFilter, actor: Actor | null, protocol: ReviewProtocol, where: SQL): number {
  const personal = f.status === 'unreviewed' && protocol.overlap > 1 && actor !== null;
  const rollupAnswers = !personal && f.status !== 'excluded' && Object.entries(f).every(([k, v]) => v === undefined || ROLLUP_KEYS.has(k));
  if (!rollupAnswers) return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM items i WHERE ${where}`).n;
  const parts: SQL[] = [sql`level = ${f.level}`];
  if (f.status === 'reviewed') parts.push(sql`review_status IN ('reviewed', 'adjudicated')`);
  else if (f.status !== undefined) parts.push(sql`review_status = ${f.status}`);
  if (f.sources && f.sources.length > 0) {
    const ids = resolveSources(clientOf(db), f.sources).map((s) => s.id);
    parts.push(sql`source_id IN (${sql.join(ids.map((s) => sql`${s}`), sql`, `)})`);
  }
  return db.get<{ n: number }>(sql`SELECT coalesce(sum(n), 0) AS n FROM source_status_rollups WHERE ${sql.join(parts, sql` AND `)}`).n;
}
