import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { isoTimestamp } from '../columns.ts';

/** Who did what, when, to what, and what they saw. Written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    at: isoTimestamp('at').notNull().default(sql`now()`),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id'),
    /** For item-level events: the item, so an item's history is one indexed lookup. */
    itemId: integer('item_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    details: jsonb('details'),
  },
  (t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_item_idx').on(t.itemId)],
);

/** Small key/value settings: review protocol (overlap, blind mode), active codebook ... */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});
