import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { perConnection } from '../../db/prepared.ts';
import { settings } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { requireAdmin, type Actor } from '../auth/service.ts';
import { badRequest, zodIssueText } from '../errors.ts';
import { conflictTarget } from '../../db/sqlDialect.ts';

/**
 * The review protocol an admin sets: how many independent reviews an item needs (for all
 * items or a random share of them), and whether reviewers see the model's suggestion.
 */
export const ReviewProtocolSchema = z.object({
  /** Independent reviews wanted per item in the overlap share; 1 = ordinary single review. */
  overlap: z.number().int().min(1).max(10),
  /** Share (0..1] of items, by their stable random key, that need `overlap` reviews; the rest need one. */
  overlapShare: z.number().gt(0).max(1),
  /** Blind mode: reviewers see no model suggestion (reviews recorded as blind). */
  blind: z.boolean(),
}).meta({ id: 'ReviewProtocol' });
export type ReviewProtocol = z.infer<typeof ReviewProtocolSchema>;

const KEY = 'review.protocol';
export const DEFAULT_PROTOCOL: ReviewProtocol = { overlap: 1, overlapShare: 1, blind: false };

const protocolQuery = perConnection((db) => db.select().from(settings).where(eq(settings.key, KEY)).prepare());

/** The current protocol (the default when none is stored). */
export function getProtocol(db: DbOrTx): ReviewProtocol {
  const row = protocolQuery(db).get();
  const parsed = row ? ReviewProtocolSchema.safeParse(row.value) : null;
  return parsed?.success ? parsed.data : DEFAULT_PROTOCOL;
}

/** True when reviewers of this item work independently (they do not see each other's decisions). */
export function isIndependent(protocol: ReviewProtocol, randomKey: number): boolean {
  return protocol.blind || (protocol.overlap > 1 && randomKey < protocol.overlapShare);
}

/** Stores a new protocol (admin only), audited with the previous one. */
export function setProtocol(db: DbOrTx, by: Actor, input: unknown): ReviewProtocol {
  requireAdmin(by);
  const parsed = ReviewProtocolSchema.safeParse(input);
  if (!parsed.success) {
    throw badRequest(`review protocol ${zodIssueText(parsed.error)}`, 'invalid_protocol');
  }
  const before = getProtocol(db);
  db.insert(settings).values({ key: KEY, value: parsed.data }).onConflictDoUpdate({ target: conflictTarget(settings.key), set: { value: parsed.data } }).run();
  audit(db, { actor: by.name, action: 'review.protocol', entityType: 'settings', before, after: parsed.data });
  return parsed.data;
}
