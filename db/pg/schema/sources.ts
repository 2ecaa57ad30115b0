import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, pgTable, text } from 'drizzle-orm/pg-core';
import { isoTimestamp } from '../columns.ts';

/** An outlet or author channel. */
export const sources = pgTable('sources', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull().unique(),
  country: text('country'),
  /** The outlet's main language (a code such as `en`, or free text). */
  language: text('language'),
  url: text('url'),
  notes: text('notes'),
  createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  updatedAt: isoTimestamp('updated_at').notNull().default(sql`now()`),
});

export type Source = typeof sources.$inferSelect;

/**
 * A source's value in a named grouping people define (`alignment` → `state-aligned`): any number
 * of groupings per source, at most one value in each. The dashboard aggregates by a grouping
 * instead of by source.
 */
export const sourceGroups = pgTable(
  'source_groups',
  {
    sourceId: integer('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    grouping: text('grouping').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.grouping] }), index('source_groups_grouping_idx').on(t.grouping, t.value)],
);
