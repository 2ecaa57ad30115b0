import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { isoTimestamp } from '../columns.ts';
import { codebooks } from './codebooks.ts';
import { items } from './items.ts';

/** A comparison of two or more models on one stored seeded sample (db/schema/modelComparisons.ts). */
export const modelComparisons = pgTable('model_comparisons', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  codebookId: integer('codebook_id').notNull().references(() => codebooks.id),
  levels: jsonb('levels').$type<('passage' | 'document')[]>().notNull(),
  sampleSize: integer('sample_size').notNull(),
  seed: integer('seed').notNull(),
  selection: jsonb('selection').notNull(),
  createdBy: text('created_by'),
  createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
});

/** The items of a comparison's sample. */
export const modelComparisonItems = pgTable(
  'model_comparison_items',
  {
    comparisonId: integer('comparison_id').notNull().references(() => modelComparisons.id, { onDelete: 'cascade' }),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.comparisonId, t.itemId] }), index('model_comparison_items_item_idx').on(t.itemId)],
);
