import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, isoTimestamp } from '../columns.ts';
import { codebooks } from './codebooks.ts';
import { jobs } from './jobs.ts';

/**
 * A trained local baseline, stored so every process and request reuses it instead of training
 * again. `version` names the model in suggestions' provenance: a retrained model (another
 * training set) always has another version.
 */
export const localModels = pgTable(
  'local_models',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** e.g. `local-baseline-v2.n2000.3fa2b1c9`: model family, reviewed examples, hash of codebook and training set. */
    version: text('version').notNull().unique(),
    codebookId: integer('codebook_id').notNull().references(() => codebooks.id),
    codebookHash: text('codebook_hash').notNull(),
    /** Reviewed items it learned from (the codebook's own examples not counted). */
    trainingSize: integer('training_size').notNull(),
    /** sha256 over the training examples and options. */
    trainingHash: text('training_hash').notNull(),
    /** The newest review that could have been in the training set: reviews after it are new to this model. */
    lastReviewId: integer('last_review_id').notNull(),
    /** The serialised weights (api/providers/local.ts's artefact format). */
    artifact: bytea('artifact').notNull(),
    /** bytes of `artifact` */
    artifactBytes: bigint('artifact_bytes', { mode: 'number' }).notNull(),
    jobId: integer('job_id').references(() => jobs.id, { onDelete: 'set null' }),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => [index('local_models_codebook_idx').on(t.codebookHash, t.id)],
);

export type LocalModel = typeof localModels.$inferSelect;
