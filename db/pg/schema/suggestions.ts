import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, jsonb, primaryKey, pgTable, text } from 'drizzle-orm/pg-core';
import { isoTimestamp } from '../columns.ts';
import { type EvidenceQuote } from '../../schema/suggestions.ts';
import { codebooks } from './codebooks.ts';
import { items } from './items.ts';
import { taggingRuns } from './taggingRuns.ts';

/** One model's proposal for one item, with full provenance. */
export const suggestions = pgTable(
  'suggestions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    runId: integer('run_id').references(() => taggingRuns.id, { onDelete: 'set null' }),
    codebookId: integer('codebook_id').notNull().references(() => codebooks.id),
    label: text('label').notNull(),
    stance: integer('stance').notNull(),
    /** Also in suggestion_themes, one row per theme, for SQL aggregates. */
    themes: jsonb('themes').$type<string[]>().notNull(),
    /** 0..1 */
    confidence: doublePrecision('confidence'),
    rationale: text('rationale'),
    evidence: jsonb('evidence').$type<EvidenceQuote[]>().notNull(),
    /** False when the model proposes excluding the item (boilerplate, caption ...). */
    substantive: boolean('substantive').notNull().default(true),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    promptHash: text('prompt_hash').notNull(),
    codebookVersion: text('codebook_version').notNull(),
    codebookHash: text('codebook_hash').notNull(),
    /** temperature, max tokens, seed, response format mode, outlet masking ... */
    params: jsonb('params').notNull(),
    outletMasked: boolean('outlet_masked').notNull().default(false),
    /** 0-based index among repeated asks of the same item in one run (self-consistency). */
    sampleIndex: integer('sample_index').notNull().default(0),
    tokensIn: bigint('tokens_in', { mode: 'number' }),
    tokensOut: bigint('tokens_out', { mode: 'number' }),
    costUsd: doublePrecision('cost_usd'),
    /** ms */
    latencyMs: integer('latency_ms'),
    requestId: text('request_id'),
    rawResponse: text('raw_response'),
    /** Hash of (text hash, provider, model, prompt hash, codebook hash, params): same key, not asked again. Looked up through the item's text hash (items_text_hash_idx): an index on this random key would cost a page write per stored suggestion. */
    cacheKey: text('cache_key').notNull(),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    index('suggestions_item_idx').on(t.itemId),
    // An item's suggestions within one run (agreement among repeats): without it SQLite
    // scans the whole run through suggestions_run_idx for every stored suggestion.
    index('suggestions_item_run_idx').on(t.itemId, t.runId),
    index('suggestions_run_idx').on(t.runId),
    index('suggestions_model_idx').on(t.provider, t.model, t.promptVersion),
  ],
);

export const suggestionThemes = pgTable(
  'suggestion_themes',
  {
    suggestionId: integer('suggestion_id').notNull().references(() => suggestions.id, { onDelete: 'cascade' }),
    theme: text('theme').notNull(),
  },
  (t) => [primaryKey({ columns: [t.suggestionId, t.theme] })],
);

export type Suggestion = typeof suggestions.$inferSelect;
