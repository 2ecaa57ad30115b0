import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { TAGGING_RUN_STATUSES, TAGGING_BATCH_STATUSES } from '../../schema/taggingRuns.ts';
import { codebooks } from './codebooks.ts';
import { items } from './items.ts';
import { modelComparisons } from './modelComparisons.ts';

/** One job asking a provider about a selection of items. */
export const taggingRuns = pgTable(
  'tagging_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** interrupted: the process running it died; it resumes with its pending items. */
    status: text('status', { enum: TAGGING_RUN_STATUSES })
      .notNull()
      .default('pending'),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    codebookId: integer('codebook_id').notNull().references(() => codebooks.id),
    /** Prompt versions by level, e.g. {"passage":"passage-v1","document":"document-v1"}. */
    promptVersions: jsonb('prompt_versions').notNull(),
    /** What was asked for: {"all":true} | {"sourceIds":[..]} | {"documentIds":[..]} | {"untaggedOnly":true} | {"sample":n} ... */
    selection: jsonb('selection').notNull(),
    /** Concurrency, temperature, repeats, outlet masking, timeouts and the rest, as run. */
    options: jsonb('options').notNull(),
    itemsTotal: integer('items_total').notNull().default(0),
    /** When the run's item list was complete (its job selects items first, in batches); null before. */
    itemsSelectedAt: isoTimestamp('items_selected_at'),
    itemsDone: integer('items_done').notNull().default(0),
    itemsFailed: integer('items_failed').notNull().default(0),
    itemsCached: integer('items_cached').notNull().default(0),
    tokensIn: bigint('tokens_in', { mode: 'number' }).notNull().default(0),
    tokensOut: bigint('tokens_out', { mode: 'number' }).notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    estimatedCostUsd: doublePrecision('estimated_cost_usd'),
    budgetUsd: doublePrecision('budget_usd'),
    error: text('error'),
    createdBy: text('created_by'),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
    startedAt: isoTimestamp('started_at'),
    finishedAt: isoTimestamp('finished_at'),
    /** Last sign of life of the process running it; a stale heartbeat means the run can be resumed. */
    heartbeatAt: isoTimestamp('heartbeat_at'),
    /** The model comparison this run is an arm of; null for other runs. */
    comparisonId: integer('comparison_id').references(() => modelComparisons.id, { onDelete: 'set null' }),
  },
  (t) => [...enumChecks('tagging_runs', t), index('tagging_runs_comparison_idx').on(t.comparisonId)],
);

/**
 * One submission of a batch run's requests to the provider's Batch API. Written before each
 * step with the provider (upload, create, download), so a process killed at any point resumes
 * from the stored ids and never submits an item twice. preparing: items assigned, file not yet
 * uploaded; uploaded: the input file exists (`inputFileId`); submitted: the provider's batch
 * exists (`providerBatchId`); applied: its answers are stored; failed: the provider refused it.
 */
export const taggingBatches = pgTable(
  'tagging_batches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    runId: integer('run_id').notNull().references(() => taggingRuns.id, { onDelete: 'cascade' }),
    status: text('status', { enum: TAGGING_BATCH_STATUSES }).notNull().default('preparing'),
    /** 1 for the first submission of its items, 2 for a resubmission of items an earlier batch did not answer ... */
    round: integer('round').notNull().default(1),
    requests: integer('requests').notNull().default(0),
    /** Size of the uploaded JSONL file. */
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    inputFileId: text('input_file_id'),
    providerBatchId: text('provider_batch_id'),
    /** The provider's own status: validating, in_progress, finalizing, completed, expired, failed, cancelling, cancelled. */
    providerStatus: text('provider_status'),
    requestsCompleted: integer('requests_completed').notNull().default(0),
    requestsFailed: integer('requests_failed').notNull().default(0),
    outputFileId: text('output_file_id'),
    errorFileId: text('error_file_id'),
    error: text('error'),
    createdAt: isoTimestamp('created_at').notNull(),
    submittedAt: isoTimestamp('submitted_at'),
    finishedAt: isoTimestamp('finished_at'),
  },
  (t) => [index('tagging_batches_run_idx').on(t.runId, t.status), ...enumChecks('tagging_batches', t)]
);

/** The items a run was asked about, materialised when it starts so a killed run resumes exactly. */
export const taggingRunItems = pgTable(
  'tagging_run_items',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    runId: integer('run_id').notNull().references(() => taggingRuns.id, { onDelete: 'cascade' }),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'done', 'cached', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** refusal, length, content_filter, invalid_output, rate_limited, server_error, timeout, network, budget ... */
    errorKind: text('error_kind'),
    error: text('error'),
    updatedAt: isoTimestamp('updated_at'),
    /** A batch run: the batch holding this item's requests (null: not submitted, or submitted again later). */
    batchId: integer('batch_id').references(() => taggingBatches.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('tagging_run_items_uq').on(t.runId, t.itemId), index('tagging_run_items_status_idx').on(t.runId, t.status), index('tagging_run_items_batch_idx').on(t.batchId), ...enumChecks('tagging_run_items', t)]
);

export type TaggingRun = typeof taggingRuns.$inferSelect;
export type TaggingRunItem = typeof taggingRunItems.$inferSelect;
export type TaggingBatch = typeof taggingBatches.$inferSelect;
