import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { codebooks } from './codebooks.ts';
import { items } from './items.ts';

export const TAGGING_RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded', 'interrupted'] as const;

/** One job asking a provider about a selection of items. */
export const taggingRuns = sqliteTable('tagging_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** interrupted: the process running it died; it resumes with its pending items. */
  status: text('status', { enum: TAGGING_RUN_STATUSES })
    .notNull()
    .default('pending'),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  codebookId: integer('codebook_id').notNull().references(() => codebooks.id),
  /** Prompt versions by level, e.g. {"passage":"passage-v1","document":"document-v1"}. */
  promptVersions: text('prompt_versions', { mode: 'json' }).notNull(),
  /** What was asked for: {"all":true} | {"sourceIds":[..]} | {"documentIds":[..]} | {"untaggedOnly":true} | {"sample":n} ... */
  selection: text('selection', { mode: 'json' }).notNull(),
  /** Concurrency, temperature, repeats, outlet masking, timeouts and the rest, as run. */
  options: text('options', { mode: 'json' }).notNull(),
  itemsTotal: integer('items_total').notNull().default(0),
  /** When the run's item list was complete (its job selects items first, in batches); null before. */
  itemsSelectedAt: text('items_selected_at'),
  itemsDone: integer('items_done').notNull().default(0),
  itemsFailed: integer('items_failed').notNull().default(0),
  itemsCached: integer('items_cached').notNull().default(0),
  tokensIn: integer('tokens_in').notNull().default(0),
  tokensOut: integer('tokens_out').notNull().default(0),
  costUsd: real('cost_usd').notNull().default(0),
  estimatedCostUsd: real('estimated_cost_usd'),
  budgetUsd: real('budget_usd'),
  error: text('error'),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  startedAt: text('started_at'),
  finishedAt: text('finished_at'),
  /** Last sign of life of the process running it; a stale heartbeat means the run can be resumed. */
  heartbeatAt: text('heartbeat_at'),
});

/** The items a run was asked about, materialised when it starts so a killed run resumes exactly. */
export const taggingRunItems = sqliteTable(
  'tagging_run_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id').notNull().references(() => taggingRuns.id, { onDelete: 'cascade' }),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'done', 'cached', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** refusal, length, content_filter, invalid_output, rate_limited, server_error, timeout, network, budget ... */
    errorKind: text('error_kind'),
    error: text('error'),
    updatedAt: text('updated_at'),
  },
  (t) => [uniqueIndex('tagging_run_items_uq').on(t.runId, t.itemId), index('tagging_run_items_status_idx').on(t.runId, t.status)],
);

export type TaggingRun = typeof taggingRuns.$inferSelect;
export type TaggingRunItem = typeof taggingRunItems.$inferSelect;
