import { sql } from 'drizzle-orm';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The kinds of OpenAI-compatible server a profile can be made from (api/providers/profiles/presets.ts). */
export const PROVIDER_PRESETS = ['openai', 'azure', 'openrouter', 'ollama', 'vllm', 'llamacpp', 'lmstudio', 'custom'] as const;
export type ProviderPreset = (typeof PROVIDER_PRESETS)[number];

/** What "Test connection" found, remembered on the profile. */
export interface ConnectionTest {
  /** ISO time of the test */
  testedAt: string;
  ok: boolean;
  /** Model ids the server listed (GET /v1/models), the first 100; null when listing failed. */
  models: string[] | null;
  /** ms of the probe request */
  latencyMs: number | null;
  /** How the probe's answer was constrained: JSON schema (structured output), JSON mode, or neither worked. */
  structuredOutput: 'json_schema' | 'json_object' | 'none';
  /** The model the probe asked. */
  model: string;
  /** The probe's label, when it answered. */
  probeLabel: string | null;
  /** Why it failed, in one line (credentials scrubbed). */
  error: string | null;
}

/**
 * A named provider setup an admin made in the UI: where the server is, which model, prices and
 * concurrency. Never its key: that lives in a 0600 file beside the database (keys.ts), found
 * through `keyRef`, so the database, its backups and exports cannot carry it.
 */
export const providerProfiles = sqliteTable('provider_profiles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  preset: text('preset', { enum: PROVIDER_PRESETS }).notNull(),
  /** e.g. http://localhost:11434/v1; for Azure the resource endpoint (https://NAME.openai.azure.com). */
  baseUrl: text('base_url').notNull(),
  /** The model asked unless a run names another; for Azure OpenAI the deployment name. */
  defaultModel: text('default_model').notNull(),
  /** Azure OpenAI only, e.g. 2024-10-21. */
  azureApiVersion: text('azure_api_version'),
  /** USD per 1M tokens; null when unknown (then no budget cap can be enforced). */
  inputPerMTok: real('input_per_mtok'),
  outputPerMTok: real('output_per_mtok'),
  /** Requests in flight at most for runs with this profile (unless a run asks for fewer). */
  concurrency: integer('concurrency').notNull().default(4),
  /** Random name of this profile's entry in the key file (survives renames and restores). */
  keyRef: text('key_ref').notNull(),
  lastTest: text('last_test', { mode: 'json' }).$type<ConnectionTest>(),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
});

export type ProviderProfile = typeof providerProfiles.$inferSelect;
