import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bound, jsonText, perConnection } from '../db/prepared.ts';
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

// Every audit write goes through one of these two (with or without its own time), built once per connection.
const inserts = perConnection((db) => {
  const fields = {
    actor: sql.placeholder('actor'),
    action: sql.placeholder('action'),
    entityType: sql.placeholder('entityType'),
    entityId: sql.placeholder('entityId'),
    itemId: sql.placeholder('itemId'),
    before: bound('before'),
    after: bound('after'),
    details: bound('details'),
  };
  return {
    at: db.insert(auditLog).values({ ...fields, at: sql.placeholder('at') }).prepare(),
    now: db.insert(auditLog).values(fields).prepare(),
  };
});

/** Appends to the audit log; call inside the transaction that makes the change. */
export function audit(tx: DbOrTx, e: AuditEntry): void {
  const values = {
    actor: e.actor,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    itemId: e.itemId ?? null,
    before: jsonText(e.before),
    after: jsonText(e.after),
    details: jsonText(e.details),
  };
  const q = inserts(tx);
  if (e.at) q.at.run({ ...values, at: e.at.toISOString() });
  else q.now.run(values);
}
