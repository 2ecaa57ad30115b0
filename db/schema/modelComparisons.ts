import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { codebooks } from './codebooks.ts';
import { items } from './items.ts';

/**
 * A comparison of two or more models (profiles, models, prompt versions) on one seeded sample:
 * the sample's item ids are stored (model_comparison_items) so every arm's run asks about the
 * same items, and a rerun of the report reads the same set. Each arm is a tagging run whose
 * `comparison_id` points here.
 */
export const modelComparisons = sqliteTable('model_comparisons', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  codebookId: integer('codebook_id').notNull().references(() => codebooks.id),
  /** Levels sampled, e.g. ["passage"]. */
  levels: text('levels', { mode: 'json' }).$type<('passage' | 'document')[]>().notNull(),
  /** The sample size asked for; the stored sample can be smaller when the selection is. */
  sampleSize: integer('sample_size').notNull(),
  seed: integer('seed').notNull(),
  /** The selection the sample was drawn from: {"sourceIds":[..]} or {}. */
  selection: text('selection', { mode: 'json' }).notNull(),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

/** The items of a comparison's sample. */
export const modelComparisonItems = sqliteTable(
  'model_comparison_items',
  {
    comparisonId: integer('comparison_id').notNull().references(() => modelComparisons.id, { onDelete: 'cascade' }),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.comparisonId, t.itemId] }), index('model_comparison_items_item_idx').on(t.itemId)],
);

export type ModelComparison = typeof modelComparisons.$inferSelect;
