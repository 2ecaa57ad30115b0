import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * A versioned codebook. `definition` is the parsed codebook file (labels, stance scale,
 * themes); immutable once stored: a change is a new version.
 */
export const codebooks = sqliteTable(
  'codebooks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** sha256 of the canonical JSON of `definition`. */
    hash: text('hash').notNull(),
    definition: text('definition', { mode: 'json' }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [uniqueIndex('codebooks_name_version_uq').on(t.name, t.version)],
);

/** A prompt template version as it was used; immutable once used. */
export const promptVersions = sqliteTable(
  'prompt_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    version: text('version').notNull(),
    level: text('level', { enum: ['passage', 'document'] }).notNull(),
    hash: text('hash').notNull(),
    template: text('template').notNull(),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [uniqueIndex('prompt_versions_name_version_uq').on(t.name, t.version)],
);

export type Codebook = typeof codebooks.$inferSelect;
export type PromptVersion = typeof promptVersions.$inferSelect;
