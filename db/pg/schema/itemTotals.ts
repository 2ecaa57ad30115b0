import { bigint, integer, primaryKey, pgTable, text } from 'drizzle-orm/pg-core';
import { enumChecks } from '../columns.ts';

/**
 * Items that can be tagged (not excluded) per source, level and whether they have any
 * suggestion yet, with their characters: what a tagging run's estimate reads instead of the
 * corpus. Kept by delta with the other rollups (api/dashboard/rollups.ts).
 */
export const itemTotals = pgTable(
  'item_totals',
  {
    sourceId: integer('source_id').notNull(),
    level: text('level', { enum: ['passage', 'document'] }).notNull(),
    /** 1 when the item has at least one suggestion. */
    tagged: integer('tagged').notNull(),
    n: integer('n').notNull(),
    /** Unicode code points in the items' texts */
    chars: bigint('chars', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.tagged] }), ...enumChecks('item_totals', t)]
);
