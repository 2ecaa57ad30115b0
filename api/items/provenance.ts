import { sql, type SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Review } from '../../db/schema/index.ts';
import { BASES, ORIGINS, type Basis, type Origin } from '../../db/schema/vocabulary.ts';

export { BASES, ORIGINS, type Basis, type Origin };

/**
 * Provenance: where a label comes from (its *origin*) and which labels a number counts (its
 * *basis*). Beside api/items/state.ts, which derives each item's state from its history with
 * these words, this is the one place every view, agreement figure, corrected estimate, export
 * and the local model's training set asks what "the people's label" or "final" means.
 *
 * Origins of a label: `model` (a suggestion no person decided on), `reviewer` (one person
 * reading one item), `bulk` (a person accepting the model's labels for many items at once, not
 * reading each), `import` (a label that came with a file), `adjudication` (an admin settling a
 * disagreement). An *independent human decision* is a reviewer's or an adjudication, or an
 * imported label of an import marked gold: bulk accepts are a person endorsing the model, and
 * other imported labels are recorded and exported, but neither counts as an independent label.
 *
 * Bases:
 * - `model`: the latest suggestion of every item.
 * - `people`: independent human decisions only.
 * - `people-bulk`: every standing human decision, bulk accepts and imported labels included
 *   (an explicit opt-in: `basis=people&includeBulk=1`).
 * - `final`: the standing human decision where there is one (whatever its origin, which the
 *   export's `final_origin` states), else the model's suggestion.
 * Disputed items (decisions disagree) and rejected ones (the suggestion rejected with the answer
 * left open) have no human label under any basis, and no final label.
 */

/** A review's origin (a decision's; skips and exclusion changes are no labels). */
export function reviewOrigin(r: Pick<Review, 'action' | 'kind'>): Exclude<Origin, 'model'> {
  if (r.action === 'adjudicate') return 'adjudication';
  if (r.kind === 'bulk') return 'bulk';
  if (r.kind === 'import') return 'import';
  return 'reviewer';
}

/** Whether a decision is an independent human decision; `gold` says whether its import (if any) is marked gold. */
export function isIndependentDecision(r: Pick<Review, 'action' | 'kind'>, gold: boolean): boolean {
  const origin = reviewOrigin(r);
  return origin === 'reviewer' || origin === 'adjudication' || (origin === 'import' && gold);
}

/** SQL for a review's origin over `reviews <alias>` (the same rule as reviewOrigin). */
export function reviewOriginSql(alias: string): SQL {
  const r = sql.raw(alias);
  return sql`CASE WHEN ${r}.id IS NULL THEN NULL WHEN ${r}.action = 'adjudicate' THEN 'adjudication' WHEN ${r}.kind = 'bulk' THEN 'bulk' WHEN ${r}.kind = 'import' THEN 'import' ELSE 'reviewer' END`;
}

/**
 * SQL for "review `r` is an independent human decision", with its import joined as `im`
 * (LEFT JOIN imports im ON im.id = r.import_id): the same rule as isIndependentDecision.
 */
export const INDEPENDENT_DECISION = sql`(r.action = 'adjudicate' OR r.kind = 'manual' OR (r.kind = 'import' AND im.gold = TRUE))`;

/** Statuses whose standing human decision carries a label. */
export const SETTLED = sql`i.review_status IN ('reviewed','adjudicated')`;

/** SQL over `items i` for the label, the stance and the kind of themes (in item_themes) a basis counts. */
export interface BasisSql {
  label: SQL;
  stance: SQL;
  themeKind: SQL;
}

/** The label, stance and themes each basis counts, over `items i`; null where the basis has no label. */
export function basisSql(basis: Basis): BasisSql {
  switch (basis) {
    case 'model':
      return { label: sql`i.suggested_label`, stance: sql`i.suggested_stance`, themeKind: sql`'suggested'` };
    case 'people':
      return { label: sql`i.independent_label`, stance: sql`i.independent_stance`, themeKind: sql`'independent'` };
    case 'people-bulk':
      return { label: sql`CASE WHEN ${SETTLED} THEN i.reviewed_label END`, stance: sql`CASE WHEN ${SETTLED} THEN i.reviewed_stance END`, themeKind: sql`'reviewed'` };
    case 'final':
      return {
        label: sql`CASE WHEN ${SETTLED} THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END`,
        stance: sql`CASE WHEN ${SETTLED} THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END`,
        themeKind: sql`CASE WHEN ${SETTLED} THEN 'reviewed' ELSE 'suggested' END`,
      };
  }
}

/** The sentence every view and download states about where its numbers come from. */
export function basisStatement(basis: Basis): string {
  switch (basis) {
    case 'model':
      return 'Model suggestions only (no human decision counted).';
    case 'people':
      return 'People: independent human decisions only (bulk accepts and imported labels left out; disputed and rejected-without-answer items left out).';
    case 'people-bulk':
      return 'People incl. bulk: every human decision, bulk accepts of model labels and imported labels included (disputed and rejected-without-answer items left out).';
    case 'final':
      return 'Final: the human decision where there is one (bulk accepts and imported labels included), otherwise the model suggestion (disputed and rejected-without-answer items left out).';
  }
}

/** A short name of a basis for titles and file names. */
export const BASIS_NAMES: Record<Basis, string> = { model: 'model', people: 'people', 'people-bulk': 'people incl. bulk', final: 'final' };

/**
 * The basis a request asks for: `basis` is model, people or final; `includeBulk` opts the people
 * basis into bulk accepts and imported labels. Elsewhere it means nothing (the model basis has no
 * human decision; final always includes them), so it is refused there rather than ignored.
 */
export function requestedBasis(basis: 'model' | 'people' | 'final', includeBulk: boolean): Basis | { error: string } {
  if (!includeBulk) return basis;
  if (basis === 'people') return 'people-bulk';
  return { error: `includeBulk: only the people basis leaves bulk accepts out (basis=${basis} ${basis === 'model' ? 'counts no human decision' : 'always includes them'})` };
}

/**
 * Model against people, as both agreement reports (the dashboard's and the review page's) count
 * it: one pair per item, its latest suggestion against its independent human label, over items
 * that have both. Bulk accepts agree with the model by construction, so they never count.
 */
export const modelPeoplePairs = {
  suggested: sql`i.suggested_label`,
  people: sql`i.independent_label`,
  /** people − model stance, null where either is missing. */
  stanceDifference: sql`(i.independent_stance - i.suggested_stance)`,
  where: sql`i.suggested_label IS NOT NULL AND i.independent_label IS NOT NULL`,
};

/** What the model-against-people figures rest on. */
export const MODEL_PEOPLE_STATEMENT =
  'Model suggestions against independent human decisions on the same items, one pair per item (bulk accepts and imported labels never counted; disputed and rejected-without-answer items have no human label).';

/**
 * Joins `reviews r` on the review that carries the item's independent label: the corrected
 * estimate's sample and the dashboard's "random reviewed sample" count read it.
 */
export const INDEPENDENT_REVIEW_JOIN = sql`LEFT JOIN reviews r ON r.id = i.independent_review_id`;

/** An independent human label given in the queue's random order or blind (needs INDEPENDENT_REVIEW_JOIN): the corrected estimate's sample. */
export const IN_RANDOM_SAMPLE = sql`(i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = TRUE))`;

/**
 * The corrected estimates' sample: items whose independent human label was given in the
 * queue's random order or blind, so they are a simple random sample of the items whatever the
 * model said. Bulk accepts are never in it, whatever queue order they were made from.
 */
export const correctionSample = {
  join: INDEPENDENT_REVIEW_JOIN,
  inSample: IN_RANDOM_SAMPLE,
  human: sql`i.independent_label`,
  /** people − model stance, null where either is missing. */
  diff: modelPeoplePairs.stanceDifference,
  statement:
    'Model suggestions corrected by people: model share or mean over all suggested items plus the mean human − model difference on the random sample of independent human decisions (made in the queue\'s random order or blind; bulk accepts never count).',
};

const dialect = new SQLiteSyncDialect();

/**
 * A parameterless fragment of these definitions as SQL text, for statements prepared once
 * (the dashboard rollups, the export): they count with the same expressions the views use.
 */
export function sqlText(fragment: SQL): string {
  const query = dialect.sqlToQuery(fragment);
  if (query.params.length > 0) throw new Error(`a provenance expression cannot carry parameters: ${query.sql}`);
  return query.sql;
}
