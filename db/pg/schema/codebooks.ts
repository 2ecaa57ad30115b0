import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';

/**
 * A versioned codebook. `definition` is the parsed codebook file (labels, stance scale,
 * themes); immutable once stored: a change is a new version.
 */
export const codebooks = pgTable(
  'codebooks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** sha256 of the canonical JSON of `definition`. */
    hash: text('hash').notNull(),
    definition: jsonb('definition').notNull(),
    active: boolean('active').notNull().default(false),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex('codebooks_name_version_uq').on(t.name, t.version)],
);

/** A prompt template version as it was used; immutable once used. */
export const promptVersions = pgTable(
  'prompt_versions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    level: text('level', { enum: ['passage', 'document'] }).notNull(),
    hash: text('hash').notNull(),
    template: text('template').notNull(),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex('prompt_versions_name_version_uq').on(t.name, t.version), ...enumChecks('prompt_versions', t)]
);

export type Codebook = typeof codebooks.$inferSelect;
export type PromptVersion = typeof promptVersions.$inferSelect;
