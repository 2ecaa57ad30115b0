import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Who did what, when, to what, and what they saw. Written in the same transaction as the change. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id'),
    /** For item-level events: the item, so an item's history is one indexed lookup. */
    itemId: integer('item_id'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_item_idx').on(t.itemId)],
);

/** Small key/value settings: review protocol (overlap, blind mode), active codebook ... */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
});
