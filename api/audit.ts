import type { DbOrTx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId?: number | null;
  itemId?: number | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
  at?: Date;
}

/** Appends to the audit log; call inside the transaction that makes the change. */
export function audit(tx: DbOrTx, e: AuditEntry): void {
  tx.insert(auditLog)
    .values({
      actor: e.actor,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      itemId: e.itemId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      details: e.details ?? null,
      ...(e.at ? { at: e.at.toISOString() } : {}),
    })
    .run();
}
