import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { taggingBatches, taggingRunItems, type TaggingBatch } from '../../db/schema/index.ts';
import { dialectFor, jsonArrayValues } from '../../db/sqlDialect.ts';

/** Batches still on their way: not yet uploaded, not yet created, or waiting for the provider. */
export const OPEN_BATCH_STATUSES = ['preparing', 'uploaded', 'submitted'] as const;

/** A run's batches, oldest first. */
export function runBatches(db: Db, runId: number): TaggingBatch[] {
  return db.select().from(taggingBatches).where(eq(taggingBatches.runId, runId)).orderBy(asc(taggingBatches.id)).all();
}

/** A run's batches not yet applied or refused, oldest first. */
export function openBatches(db: Db, runId: number): TaggingBatch[] {
  return db
    .select()
    .from(taggingBatches)
    .where(and(eq(taggingBatches.runId, runId), inArray(taggingBatches.status, [...OPEN_BATCH_STATUSES])))
    .orderBy(asc(taggingBatches.id))
    .all();
}

/**
 * Records a batch and puts its items in it, in one transaction, before anything is sent: a
 * process killed after this finds the batch and its items and never asks about them again
 * elsewhere. Each item's attempts count its submissions.
 */
export function sealBatch(db: Db, runId: number, itemIds: number[], requests: number, bytes: number, now: Date): TaggingBatch {
  return db.transaction((tx) => {
    const round = tx
      .select({ n: sql<number>`coalesce(max(${taggingRunItems.attempts}), 0) + 1` })
      .from(taggingRunItems)
      .where(and(eq(taggingRunItems.runId, runId), sql`${taggingRunItems.itemId} IN (${jsonArrayValues(dialectFor(tx), sql`${JSON.stringify(itemIds)}`, 'integer')})`))
      .get()!.n;
    const row = tx.insert(taggingBatches).values({ runId, round, requests, bytes, createdAt: now.toISOString() }).returning().get();
    tx.update(taggingRunItems)
      .set({ batchId: row.id, attempts: sql`${taggingRunItems.attempts} + 1`, updatedAt: now.toISOString() })
      .where(and(eq(taggingRunItems.runId, runId), sql`${taggingRunItems.itemId} IN (${jsonArrayValues(dialectFor(tx), sql`${JSON.stringify(itemIds)}`, 'integer')})`))
      .run();
    return row;
  });
}

/** Puts one more item into a sealed batch whose requests already ask what it needs (same text, asked the same way). */
export function joinBatch(db: Db, runId: number, itemId: number, batchId: number, now: Date): void {
  db.update(taggingRunItems)
    .set({ batchId, attempts: sql`${taggingRunItems.attempts} + 1`, updatedAt: now.toISOString() })
    .where(and(eq(taggingRunItems.runId, runId), eq(taggingRunItems.itemId, itemId)))
    .run();
}

/** Stores what is known of a batch now. */
export function updateBatch(db: Db, id: number, patch: Partial<Omit<TaggingBatch, 'id' | 'runId'>>): TaggingBatch {
  return db.update(taggingBatches).set(patch).where(eq(taggingBatches.id, id)).returning().get();
}

/** Marks a batch applied and takes its unanswered items out of it (they are submitted again), in one transaction. */
export function closeBatch(db: Db, batch: TaggingBatch, unanswered: number[], patch: Partial<TaggingBatch>): void {
  db.transaction((tx) => {
    if (unanswered.length > 0) {
      tx.update(taggingRunItems)
        .set({ batchId: null })
        .where(and(eq(taggingRunItems.runId, batch.runId), sql`${taggingRunItems.itemId} IN (${jsonArrayValues(dialectFor(tx), sql`${JSON.stringify(unanswered)}`, 'integer')})`))
        .run();
    }
    tx.update(taggingBatches).set(patch).where(eq(taggingBatches.id, batch.id)).run();
  });
}

/** Submissions so far of each of a batch's pending items. */
export function batchItemAttempts(db: Db, batchId: number): Map<number, number> {
  const rows = db.select({ itemId: taggingRunItems.itemId, attempts: taggingRunItems.attempts }).from(taggingRunItems).where(eq(taggingRunItems.batchId, batchId)).all();
  return new Map(rows.map((r) => [r.itemId, r.attempts]));
}

/** Pending items of a run in no batch (left to submit). */
export function unassignedCount(db: Db, runId: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(taggingRunItems)
    .where(and(eq(taggingRunItems.runId, runId), eq(taggingRunItems.status, 'pending'), sql`${taggingRunItems.batchId} IS NULL`))
    .get()!.n;
}
