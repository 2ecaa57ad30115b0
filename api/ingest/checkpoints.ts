import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { documents, imports, items, reviews, type Import } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { removeDocumentFromRollups } from '../dashboard/rollups.ts';
import { recomputeReviewState } from '../items/state.ts';
import { removeBands } from './duplicates.ts';

/** Bytes at the start of a file that identify it for resuming (with its size). */
const FINGERPRINT_BYTES = 1024 * 1024;

/** sha256 of a file's first MiB, hex: with the size, what tells a rerun it is the same file. */
export async function fingerprint(open: () => Readable): Promise<string> {
  const hash = createHash('sha256');
  let taken = 0;
  const stream = open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, FINGERPRINT_BYTES - taken);
      hash.update(part);
      taken += part.length;
      if (taken >= FINGERPRINT_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}

/** sha256 of the options that shape an import's documents, so a rerun with other options is a new import. */
export function optionsHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The unfinished import (running when the process died, or interrupted) of this very file with these options, if any. */
export function findUnfinished(db: Db, path: string, fileSize: number | null, print: string, options: string): Import | null {
  return (
    db
      .select()
      .from(imports)
      .where(and(eq(imports.path, path), inArray(imports.state, ['running', 'interrupted']), eq(imports.fingerprint, print), eq(imports.optionsHash, options), fileSize === null ? sql`TRUE` : eq(imports.fileSize, fileSize)))
      .orderBy(desc(imports.id))
      .get() ?? null
  );
}

/** Documents deleted per transaction when rolling an import back, so the server keeps answering. */
const DISCARD_BATCH = 500;

/**
 * Rolls back an import that did not complete: removes its documents (with their passages,
 * items, suggestions and reviews, out of the rollups first), the labels it attached to
 * documents stored before it, and the import row itself. Works in batches; if interrupted,
 * the import is still unfinished and a second call finishes the job. Returns the documents removed.
 */
export function discardImport(db: Db, importId: number, actor: string): number {
  const row = db.select().from(imports).where(eq(imports.id, importId)).get();
  if (!row) return 0;
  if (row.state === 'complete') throw new Error(`import ${importId} is complete; only an unfinished import can be rolled back`);
  let removed = 0;
  for (;;) {
    const docs = db.select({ id: documents.id, text: documents.text }).from(documents).where(eq(documents.importId, importId)).limit(DISCARD_BATCH).all();
    if (docs.length === 0) break;
    const ids = docs.map((d) => d.id);
    db.transaction((tx) => {
      for (const d of docs) {
        removeDocumentFromRollups(tx, d.id);
        removeBands(db.$client, d.id, d.text);
      }
      tx.delete(documents).where(inArray(documents.id, ids)).run();
    });
    removed += ids.length;
  }
  db.transaction((tx) => {
    const attached = tx
      .select({ id: reviews.id, itemId: reviews.itemId })
      .from(reviews)
      .innerJoin(items, eq(items.id, reviews.itemId))
      .where(eq(reviews.importId, importId))
      .all();
    if (attached.length > 0) {
      tx.delete(reviews).where(inArray(reviews.id, attached.map((r) => r.id))).run();
      for (const itemId of new Set(attached.map((r) => r.itemId))) recomputeReviewState(tx, itemId);
    }
    tx.delete(imports).where(eq(imports.id, importId)).run();
    audit(tx, { actor, action: 'import.rollback', entityType: 'import', entityId: importId, details: { file: row.path, documents: removed, attachedLabels: attached.length } });
  });
  return removed;
}
