import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { perConnection } from '../../db/prepared.ts';
import { reviews, type Review } from '../../db/schema/index.ts';
import type { Actor } from '../auth/service.ts';
import { isIndependent, type ReviewProtocol } from './protocol.ts';

/**
 * What a person may see of an item. Coding (the queue and the item view) and adjudication are
 * separate steps: a coder in blind mode sees no model suggestion, and a coder of an item that
 * needs independent decisions sees no other coder's decision, until they have decided it
 * themselves; admins code under the same rule. Adjudication (admins only, once an item has the
 * independent decisions it needs) sees everything.
 */

/** coding: deciding an item as one of its coders; adjudication: an admin settling it, seeing everything. */
export type ViewMode = 'code' | 'adjudicate';

export interface Visibility {
  /** The model's suggestions are hidden. */
  blind: boolean;
  /** Other people's decisions are hidden. */
  hideOthers: boolean;
  /** This person already has a standing decision on the item. */
  decided: boolean;
  /** That decision (accept, edit or reject), or null. */
  mine: Review | null;
}

const ownDecisionQuery = perConnection((db) =>
  db
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.itemId, sql.placeholder('itemId')),
        eq(reviews.reviewerId, sql.placeholder('reviewerId')),
        inArray(reviews.action, ['accept', 'edit', 'reject']),
        sql`NOT EXISTS (SELECT 1 FROM reviews u WHERE u.undoes_review_id = ${reviews.id})`,
      ),
    )
    .orderBy(desc(reviews.id))
    .limit(1)
    .prepare(),
);

/** The coder's own latest standing decision (accept, edit or reject) on an item, or null. */
export function ownDecision(db: DbOrTx, itemId: number, actor: Actor | null): Review | null {
  if (!actor) return null;
  return ownDecisionQuery(db).get({ itemId, reviewerId: actor.id }) ?? null;
}

/**
 * What `actor` may see of an item in a mode. `mine` is their own standing decision when the
 * caller already has it (ownDecision in the same transaction), else it is looked up.
 */
export function visibility(db: DbOrTx, protocol: ReviewProtocol, item: { id: number; randomKey: number }, actor: Actor | null, mode: ViewMode = 'code', mine?: Review | null): Visibility {
  const own = mine === undefined ? ownDecision(db, item.id, actor) : mine;
  const decided = own !== null;
  if (mode === 'adjudicate') return { blind: false, hideOthers: false, decided, mine: own };
  return { blind: protocol.blind && !decided, hideOthers: isIndependent(protocol, item.randomKey) && !decided, decided, mine: own };
}

/** How many independent decisions an item needs: `overlap` for items in the overlap share, else one. */
export function requiredDecisions(protocol: ReviewProtocol, randomKey: number): number {
  return protocol.overlap > 1 && randomKey < protocol.overlapShare ? protocol.overlap : 1;
}
