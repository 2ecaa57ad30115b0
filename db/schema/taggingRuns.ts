import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { codebooks } from './codebooks.ts';
import { items } from './items.ts';
import { modelComparisons } from './modelComparisons.ts';

export const TAGGING_RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'budget_exceeded', 'interrupted'] as const;

/** One job asking a provider about a selection of items. */
export const taggingRuns = sqliteTable(
  'tagging_runs',
  {
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
  /** The model comparison this run is an arm of (its selection is the comparison's sample); null for other runs. */
  comparisonId: integer('comparison_id').references(() => modelComparisons.id, { onDelete: 'set null' }),
  },
  (t) => [index('tagging_runs_comparison_idx').on(t.comparisonId)],
);

export const TAGGING_BATCH_STATUSES = ['preparing', 'uploaded', 'submitted', 'applied', 'failed'] as const;

/**
 * One submission of a batch run's requests to the provider's Batch API. Written before each
 * step with the provider (upload, create, download), so a process killed at any point resumes
 * from the stored ids and never submits an item twice. preparing: items assigned, file not yet
 * uploaded; uploaded: the input file exists (`inputFileId`); submitted: the provider's batch
 * exists (`providerBatchId`); applied: its answers are stored; failed: the provider refused it.
 */
export const taggingBatches = sqliteTable(
  'tagging_batches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id').notNull().references(() => taggingRuns.id, { onDelete: 'cascade' }),
    status: text('status', { enum: TAGGING_BATCH_STATUSES }).notNull().default('preparing'),
    /** 1 for the first submission of its items, 2 for a resubmission of items an earlier batch did not answer ... */
    round: integer('round').notNull().default(1),
    requests: integer('requests').notNull().default(0),
    /** Size of the uploaded JSONL file. */
    bytes: integer('bytes').notNull().default(0),
    inputFileId: text('input_file_id'),
    providerBatchId: text('provider_batch_id'),
    /** The provider's own status: validating, in_progress, finalizing, completed, expired, failed, cancelling, cancelled. */
    providerStatus: text('provider_status'),
    requestsCompleted: integer('requests_completed').notNull().default(0),
    requestsFailed: integer('requests_failed').notNull().default(0),
    outputFileId: text('output_file_id'),
    errorFileId: text('error_file_id'),
    error: text('error'),
    createdAt: text('created_at').notNull(),
    submittedAt: text('submitted_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [index('tagging_batches_run_idx').on(t.runId, t.status)],
);

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
    /** A batch run: the batch holding this item's requests (null: not submitted, or submitted again later). */
    batchId: integer('batch_id').references(() => taggingBatches.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('tagging_run_items_uq').on(t.runId, t.itemId), index('tagging_run_items_status_idx').on(t.runId, t.status), index('tagging_run_items_batch_idx').on(t.batchId)],
);

export type TaggingRun = typeof taggingRuns.$inferSelect;
export type TaggingRunItem = typeof taggingRunItems.$inferSelect;
export type TaggingBatch = typeof taggingBatches.$inferSelect;
