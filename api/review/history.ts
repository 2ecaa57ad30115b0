import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { auditLog, items } from '../../db/schema/index.ts';
import type { Actor } from '../auth/service.ts';
import { notFound } from '../errors.ts';
import { JsonValueSchema } from '../json.ts';
import { getProtocol } from './protocol.ts';
import { visibility } from './visibility.ts';

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
 * and note with who, when, what changed and what they saw. Coders working independently see only
 * their own entries until they have decided (api/review/visibility.ts).
 */
export function itemHistory(db: Db, itemId: number, actor: Actor | null): HistoryEntry[] {
  const item = db.select({ id: items.id, randomKey: items.randomKey }).from(items).where(eq(items.id, itemId)).get();
  if (!item) throw notFound(`item ${itemId} not found`);
  const onlyOwn = visibility(db, getProtocol(db), item, actor).hideOthers && actor !== null;
  return db
    .select()
    .from(auditLog)
    .where(onlyOwn ? and(eq(auditLog.itemId, itemId), eq(auditLog.actor, actor!.name)) : eq(auditLog.itemId, itemId))
    .orderBy(asc(auditLog.id))
    .all()
    .map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, ...JsonEntry.parse({ before: e.before, after: e.after, details: e.details }) }));
}
