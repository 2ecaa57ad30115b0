import { z } from 'zod';
import { PROVIDER_PRESETS } from '../../../db/schema/index.ts';

const CREDENTIALS_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

const BaseUrlSchema = z
  .string()
  .trim()
  .url('must be a URL such as http://127.0.0.1:11434/v1')
  .refine((v) => /^https?:\/\//i.test(v), 'must start with http:// or https://')
  .refine((v) => !CREDENTIALS_IN_URL.test(v), 'must not carry a user name or password; put the key in the key field');

const PriceSchema = z.number().min(0).max(10_000).nullable();

/** A profile as an admin fills it in; `apiKey` is stored in the key file, never in the database. */
export const ProfileInputSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    preset: z.enum(PROVIDER_PRESETS),
    baseUrl: BaseUrlSchema,
    defaultModel: z.string().trim().min(1).max(200),
    azureApiVersion: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must look like 2024-10-21').nullable().optional(),
    inputPerMTok: PriceSchema.optional(),
    outputPerMTok: PriceSchema.optional(),
    concurrency: z.number().int().min(1).max(256).default(4),
    apiKey: z.string().trim().min(1).max(4_096).optional(),
  })
  .refine((p) => p.preset !== 'azure' || Boolean(p.azureApiVersion), { message: 'Azure OpenAI needs an api-version', path: ['azureApiVersion'] })
  .refine((p) => (p.inputPerMTok == null) === (p.outputPerMTok == null), { message: 'give both prices or neither', path: ['outputPerMTok'] })
  .meta({ id: 'ProviderProfileInput' });
export type ProfileInput = z.input<typeof ProfileInputSchema>;

/** A change to a profile: any field; `apiKey` a new key, null to remove it, absent to keep it. */
export const ProfilePatchSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    preset: z.enum(PROVIDER_PRESETS),
    baseUrl: BaseUrlSchema,
    defaultModel: z.string().trim().min(1).max(200),
    azureApiVersion: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must look like 2024-10-21').nullable(),
    inputPerMTok: PriceSchema,
    outputPerMTok: PriceSchema,
    concurrency: z.number().int().min(1).max(256),
    apiKey: z.string().trim().min(1).max(4_096).nullable(),
  })
  .partial()
  .meta({ id: 'ProviderProfilePatch' });
export type ProfilePatch = z.input<typeof ProfilePatchSchema>;

/** What "Test connection" found (see ConnectionTest in the schema). */
export const ConnectionTestSchema = z
  .object({
    testedAt: z.string(),
    ok: z.boolean(),
    models: z.array(z.string()).nullable(),
    latencyMs: z.number().nullable(),
    structuredOutput: z.enum(['json_schema', 'json_object', 'none']),
    model: z.string(),
    probeLabel: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ConnectionTest' });

/** A profile as the browser sees it: the key only as whether one is set and its last four characters. */
export const ProfileViewSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    preset: z.enum(PROVIDER_PRESETS),
    baseUrl: z.string(),
    defaultModel: z.string(),
    azureApiVersion: z.string().nullable(),
    inputPerMTok: z.number().nullable(),
    outputPerMTok: z.number().nullable(),
    concurrency: z.number().int(),
    key: z.object({ set: z.boolean(), last4: z.string().nullable() }),
    lastTest: ConnectionTestSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProviderProfile' });
export type ProfileView = z.infer<typeof ProfileViewSchema>;

export const PresetSchema = z.object({
  id: z.enum(PROVIDER_PRESETS),
  title: z.string(),
  baseUrl: z.string(),
  defaultModel: z.string(),
  needsKey: z.boolean(),
  azure: z.boolean(),
  hint: z.string(),
});

/** The profiles page's data: profiles, presets, and whether the environment configures a provider (it wins as the default). */
export const ProfileListSchema = z
  .object({
    profiles: z.array(ProfileViewSchema),
    presets: z.array(PresetSchema),
    environment: z.object({ configured: z.boolean(), baseUrl: z.string().nullable(), model: z.string().nullable() }),
  })
  .meta({ id: 'ProviderProfileList' });
