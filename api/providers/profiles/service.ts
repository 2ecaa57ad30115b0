import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { providerProfiles, type ConnectionTest, type ProviderProfile } from '../../../db/schema/index.ts';
import { audit } from '../../audit.ts';
import type { Config } from '../../config.ts';
import { badRequest, conflict, notFound, zodIssueText } from '../../errors.ts';
import type { OpenAIProviderOptions } from '../openai.ts';
import { redactUrl } from '../redact.ts';
import { keyStoreFor, newKeyRef } from './keys.ts';
import { PRESETS } from './presets.ts';
import { ProfileInputSchema, ProfilePatchSchema, type ProfileInput, type ProfilePatch, type ProfileView } from './schemas.ts';

/** Keys shorter than this show no characters at all: four would give away too much of them. */
const SHOW_LAST4_FROM = 8;

/** A profile for the browser: everything but the key, which shows as set or not and its last four characters. */
export function profileView(db: Db, p: ProviderProfile): ProfileView {
  const key = keyStoreFor(db).get(p.keyRef);
  return {
    id: p.id,
    name: p.name,
    preset: p.preset,
    baseUrl: p.baseUrl,
    defaultModel: p.defaultModel,
    azureApiVersion: p.azureApiVersion,
    inputPerMTok: p.inputPerMTok,
    outputPerMTok: p.outputPerMTok,
    concurrency: p.concurrency,
    key: { set: key !== undefined, last4: key !== undefined && key.length >= SHOW_LAST4_FROM ? key.slice(-4) : null },
    lastTest: p.lastTest ?? null,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** Every profile by name, the presets, and what the environment configures. */
export function listProfiles(db: Db, config: Config) {
  const rows = db.select().from(providerProfiles).orderBy(asc(providerProfiles.name)).all();
  const env = config.openai;
  return {
    profiles: rows.map((p) => profileView(db, p)),
    presets: [...PRESETS],
    environment: { configured: Boolean(env.apiKey || env.baseURL), baseUrl: env.baseURL ? redactUrl(env.baseURL) : env.apiKey ? 'https://api.openai.com/v1' : null, model: env.model ?? null },
  };
}

export function getProfile(db: Db, id: number): ProviderProfile {
  const row = db.select().from(providerProfiles).where(eq(providerProfiles.id, id)).get();
  if (!row) throw notFound(`no provider profile ${id}`);
  return row;
}

/** A profile by its name (the CLI's `--profile NAME`) or id. */
export function findProfile(db: Db, nameOrId: string): ProviderProfile {
  const byName = db.select().from(providerProfiles).where(eq(providerProfiles.name, nameOrId)).get();
  if (byName) return byName;
  if (/^\d+$/.test(nameOrId)) return getProfile(db, Number(nameOrId));
  const names = db.select({ name: providerProfiles.name }).from(providerProfiles).all().map((r) => r.name);
  throw badRequest(`no provider profile "${nameOrId}"${names.length > 0 ? ` (there are: ${names.join(', ')})` : ' (none is set up: add one on the Settings page)'}`, 'unknown_profile');
}

function assertNameFree(db: Db, name: string, id?: number) {
  const other = db.select({ id: providerProfiles.id }).from(providerProfiles).where(eq(providerProfiles.name, name)).get();
  if (other && other.id !== id) throw conflict(`a provider profile is already named "${name}"`);
}

/** What the audit log records of a profile: never the key. */
const audited = (p: ProviderProfile) => ({ name: p.name, preset: p.preset, baseUrl: redactUrl(p.baseUrl), defaultModel: p.defaultModel, concurrency: p.concurrency });

/** Stores a new profile; its key (if any) goes to the key file first, so a failed insert leaves no profile without its key. */
export function createProfile(db: Db, input: ProfileInput, actor: string, now: Date): ProfileView {
  const parsed = ProfileInputSchema.safeParse(input);
  if (!parsed.success) throw badRequest(zodIssueText(parsed.error, { root: 'profile' }), 'invalid_input');
  const { apiKey, ...fields } = parsed.data;
  assertNameFree(db, fields.name);
  const keyRef = newKeyRef();
  const keys = keyStoreFor(db);
  if (apiKey) keys.set(keyRef, apiKey);
  try {
    const row = db.transaction((tx) => {
      const at = now.toISOString();
      const created = tx
        .insert(providerProfiles)
        .values({ ...fields, azureApiVersion: fields.azureApiVersion ?? null, inputPerMTok: fields.inputPerMTok ?? null, outputPerMTok: fields.outputPerMTok ?? null, keyRef, createdAt: at, updatedAt: at })
        .returning()
        .get();
      audit(tx, { actor, action: 'provider_profile.created', entityType: 'provider_profile', entityId: created.id, after: audited(created), details: { keySet: Boolean(apiKey) } });
      return created;
    });
    return profileView(db, row);
  } catch (err) {
    keys.delete(keyRef);
    throw err;
  }
}

/** Changes a profile; a changed server or model forgets the last connection test (it tested something else). */
export function updateProfile(db: Db, id: number, patch: ProfilePatch, actor: string, now: Date): ProfileView {
  const parsed = ProfilePatchSchema.safeParse(patch);
  if (!parsed.success) throw badRequest(zodIssueText(parsed.error, { root: 'profile' }), 'invalid_input');
  const before = getProfile(db, id);
  const { apiKey, ...fields } = parsed.data;
  const merged = ProfileInputSchema.safeParse({ ...before, ...fields });
  if (!merged.success) throw badRequest(zodIssueText(merged.error, { root: 'profile' }), 'invalid_input');
  if (fields.name !== undefined) assertNameFree(db, fields.name, id);
  const keys = keyStoreFor(db);
  if (apiKey === null) keys.delete(before.keyRef);
  else if (apiKey !== undefined) keys.set(before.keyRef, apiKey);
  const retest = apiKey !== undefined || ['preset', 'baseUrl', 'defaultModel', 'azureApiVersion'].some((k) => k in fields && fields[k as keyof typeof fields] !== before[k as keyof ProviderProfile]);
  const row = db.transaction((tx) => {
    const after = tx
      .update(providerProfiles)
      .set({ ...fields, ...(retest ? { lastTest: null } : {}), updatedAt: now.toISOString() })
      .where(eq(providerProfiles.id, id))
      .returning()
      .get();
    audit(tx, { actor, action: 'provider_profile.updated', entityType: 'provider_profile', entityId: id, before: audited(before), after: audited(after), details: apiKey === undefined ? null : { key: apiKey === null ? 'removed' : 'replaced' } });
    return after;
  });
  return profileView(db, row);
}

/** Deletes a profile and its key. Runs that used it keep their provenance; resuming one then needs another profile. */
export function deleteProfile(db: Db, id: number, actor: string): void {
  const before = getProfile(db, id);
  db.transaction((tx) => {
    tx.delete(providerProfiles).where(eq(providerProfiles.id, id)).run();
    audit(tx, { actor, action: 'provider_profile.deleted', entityType: 'provider_profile', entityId: id, before: audited(before) });
  });
  keyStoreFor(db).delete(before.keyRef);
}

/** Remembers a connection test on the profile. */
export function saveConnectionTest(db: Db, id: number, test: ConnectionTest): ProfileView {
  const row = db.update(providerProfiles).set({ lastTest: test }).where(eq(providerProfiles.id, id)).returning().get();
  if (!row) throw notFound(`no provider profile ${id}`);
  return profileView(db, row);
}

/**
 * The OpenAI-compatible provider options of a profile, read fresh (with its key from the key
 * file) every time a run or test asks, so an edit applies to the next run without a restart.
 */
export function profileProviderOptions(db: Db, p: ProviderProfile, model = p.defaultModel): OpenAIProviderOptions {
  return {
    apiKey: keyStoreFor(db).get(p.keyRef),
    baseURL: p.baseUrl,
    azure: p.preset === 'azure' ? { apiVersion: p.azureApiVersion ?? '2024-10-21' } : undefined,
    via: `profile "${p.name}" (${redactUrl(p.baseUrl)})`,
    model,
    concurrency: p.concurrency,
    // Known from the last connection test: no request is spent finding out again.
    responseFormat: p.lastTest?.ok && p.lastTest.structuredOutput === 'json_object' ? 'json_object' : undefined,
    // The profile's prices are for whatever model it is asked with; without them, the list prices.
    prices: p.inputPerMTok !== null && p.outputPerMTok !== null ? { [model]: { inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok } } : undefined,
  };
}
