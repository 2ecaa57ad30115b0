import { sql } from 'drizzle-orm';
import { doublePrecision, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';
import { PROVIDER_PRESETS, type ConnectionTest } from '../../schema/providerProfiles.ts';

/**
 * A named provider setup an admin made in the UI: where the server is, which model, prices and
 * concurrency. Never its key: that lives in a 0600 file beside the database (keys.ts), found
 * through `keyRef`, so the database, its backups and exports cannot carry it.
 */
export const providerProfiles = pgTable(
  'provider_profiles',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull().unique(),
    preset: text('preset', { enum: PROVIDER_PRESETS }).notNull(),
    /** e.g. http://localhost:11434/v1; for Azure the resource endpoint (https://NAME.openai.azure.com). */
    baseUrl: text('base_url').notNull(),
    /** The model asked unless a run names another; for Azure OpenAI the deployment name. */
    defaultModel: text('default_model').notNull(),
    /** Azure OpenAI only, e.g. 2024-10-21. */
    azureApiVersion: text('azure_api_version'),
    /** USD per 1M tokens; null when unknown (then no budget cap can be enforced). */
    inputPerMTok: doublePrecision('input_per_mtok'),
    outputPerMTok: doublePrecision('output_per_mtok'),
    /** Requests in flight at most for runs with this profile (unless a run asks for fewer). */
    concurrency: integer('concurrency').notNull().default(4),
    /** Random name of this profile's entry in the key file (survives renames and restores). */
    keyRef: text('key_ref').notNull(),
    lastTest: jsonb('last_test').$type<ConnectionTest>(),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
    updatedAt: isoTimestamp('updated_at').notNull().default(sql`now()`),
  },
  (t) => enumChecks('provider_profiles', t),
);

export type ProviderProfile = typeof providerProfiles.$inferSelect;
