import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app.ts';
import { backupDatabase } from '../../backup/backup.ts';
import { loadConfig } from '../../config.ts';
import { openAppDb } from '../../db.ts';
import { seedCorpus } from '../../fixtures.ts';
import { serverDeps } from '../../jobs/setup.ts';
import { waitForJob } from '../../testing.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { keyFileFor } from './keys.ts';

const KEY = 'sk-framescope-test-2c1f9e7d4b3a';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The app over a fresh database file (job threads read the profile and its key themselves), plus scripted servers. */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-profiles-'));
  const dbPath = join(dir, 'framescope.db');
  const db = openAppDb(dbPath);
  const deps = serverDeps({ db, config: loadConfig({}, { dbPath }) });
  deps.jobs.start();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => void db.$client.close(), () => deps.jobs.stop());
  seedCorpus(db, [{ name: 'Outlet A', documents: [{ title: 'Union talks', passages: [{ text: 'The union brings our brotherly peoples together.' }, { text: 'Analysts say trade grew by a fifth.' }] }] }]);
  const app = createApp(deps);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  const server = async (options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> => {
    const s = await startTestServer(options);
    cleanups.push(() => s.close());
    return s;
  };
  return { dir, dbPath, db, app, call, server };
}

describe('provider profiles', () => {
  it('keeps the key in a 0600 file beside the database: never in the database, its backup, an export, an API response or the audit log', async () => {
    const { dir, dbPath, db, app, call, server } = await setup();
    const ollama = await server({ apiKey: KEY });
    const logged: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => (logged.push(String(chunk)), write(chunk, ...(rest as []))));
    }
    cleanups.push(() => void vi.restoreAllMocks());

    const created = await call('POST', '/api/providers/profiles', { name: 'lab ollama', preset: 'ollama', baseUrl: ollama.url, defaultModel: 'test-model', apiKey: KEY, concurrency: 2 });
    expect(created.status).toBe(201);
    const profile = JSON.parse(created.text) as { id: number; key: { set: boolean; last4: string | null } };
    expect(profile.key).toEqual({ set: true, last4: '4b3a' });

    const keyFile = keyFileFor(dbPath);
    expect(keyFile).toBe(join(dir, 'framescope.secrets.json'));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toContain(KEY);

    const tested = await call('POST', `/api/providers/profiles/${profile.id}/test`);
    const run = await call('POST', '/api/tagging/runs', { profileId: profile.id, levels: ['passage'] });
    expect(run.status).toBe(201);
    const { id: runId, jobId } = JSON.parse(run.text) as { id: number; jobId: number };
    await waitForJob(app, jobId);
    const detail = await call('GET', `/api/tagging/runs/${runId}`);
    expect(JSON.parse(detail.text).run.status).toBe('completed');
    expect(ollama.authorizations.filter((a) => a === `Bearer ${KEY}`).length, 'requests that carried the profile key').toBe(ollama.authorizations.length);

    const responses = [created, tested, run, detail, await call('GET', '/api/providers/profiles'), await call('GET', '/api/tagging/runs'), await call('GET', '/api/export?format=jsonl&level=passage&status=all'), await call('GET', '/api/export?format=csv&level=document&status=all')];
    for (const r of responses) expect(r.text).not.toContain(KEY);
    const backup = join(dir, 'backup.db');
    backupDatabase(db, backup);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [dbPath, backup, `${dbPath}-wal`].filter(existsSync)) expect(readFileSync(file).includes(Buffer.from(KEY)), `${file} holds the key`).toBe(false);
    const audit = db.$client.prepare("SELECT * FROM audit_log WHERE entity_type = 'provider_profile'").all();
    expect(audit.length).toBe(1);
    expect(JSON.stringify(audit)).not.toContain(KEY);
    expect(logged.join('')).not.toContain(KEY);
  });

  it('tests a connection: lists the models, probes with JSON-schema output, and falls back to JSON mode on a server without it; remembered on the profile', async () => {
    const { call, server } = await setup();
    const full = await server({ models: ['test-model', 'llama3.1'] });
    const plain = await server({ script: () => ({ kind: 'no_json_schema' }) });
    const add = async (name: string, url: string) => JSON.parse((await call('POST', '/api/providers/profiles', { name, preset: 'vllm', baseUrl: url, defaultModel: 'test-model' })).text) as { id: number; key: unknown };
    const a = await add('structured', full.url);
    expect(a.key).toEqual({ set: false, last4: null });
    const b = await add('json mode only', plain.url);
    const testOf = async (id: number) => JSON.parse((await call('POST', `/api/providers/profiles/${id}/test`)).text).test;
    expect(await testOf(a.id)).toMatchObject({ ok: true, models: ['test-model', 'llama3.1'], structuredOutput: 'json_schema', model: 'test-model', error: null });
    expect(full.requests.map((r) => r.responseFormat)).toEqual(['json_schema']);
    expect(await testOf(b.id)).toMatchObject({ ok: true, structuredOutput: 'json_object', error: null });
    expect(plain.requests.map((r) => r.responseFormat)).toEqual(['json_schema', 'json_object']);
    const listed = JSON.parse((await call('GET', '/api/providers/profiles')).text) as { profiles: { name: string; lastTest: { structuredOutput: string; latencyMs: number } | null }[] };
    expect(listed.profiles.map((p) => [p.name, p.lastTest?.structuredOutput])).toEqual([
      ['json mode only', 'json_object'],
      ['structured', 'json_schema'],
    ]);
    expect(typeof listed.profiles[0]!.lastTest!.latencyMs).toBe('number');
  });

  it('reports a server that refuses the key as a failed test, with the reason and no key in it', async () => {
    const { call, server } = await setup();
    const locked = await server({ apiKey: 'the-right-key-000000' });
    const p = JSON.parse((await call('POST', '/api/providers/profiles', { name: 'wrong key', preset: 'openai', baseUrl: locked.url, defaultModel: 'test-model', apiKey: KEY })).text) as { id: number };
    const test = JSON.parse((await call('POST', `/api/providers/profiles/${p.id}/test`)).text).test as { ok: boolean; structuredOutput: string; error: string; models: unknown };
    expect(test).toMatchObject({ ok: false, structuredOutput: 'none', models: null });
    expect(test.error).toContain('auth');
    expect(test.error).not.toContain(KEY);
  });

  it('applies an edited profile to the next run without a restart (another server, another key)', async () => {
    const { app, call, server } = await setup();
    const first = await server();
    const second = await server({ apiKey: 'sk-second-server-key-7777' });
    const p = JSON.parse((await call('POST', '/api/providers/profiles', { name: 'moving', preset: 'custom', baseUrl: first.url, defaultModel: 'test-model' })).text) as { id: number };
    const tagWith = async () => {
      const run = JSON.parse((await call('POST', '/api/tagging/runs', { profileId: p.id, levels: ['passage'] })).text) as { jobId: number };
      return (await waitForJob(app, run.jobId)).state;
    };
    expect(await tagWith()).toBe('completed');
    expect(first.requests.length).toBe(2);
    const patched = await call('PATCH', `/api/providers/profiles/${p.id}`, { baseUrl: second.url, defaultModel: 'second-model', apiKey: 'sk-second-server-key-7777' });
    expect(JSON.parse(patched.text)).toMatchObject({ key: { set: true, last4: '7777' }, defaultModel: 'second-model', lastTest: null });
    expect(await tagWith()).toBe('completed');
    expect(first.requests.length, 'the first server was not asked again').toBe(2);
    expect(second.requests.length).toBe(2);
    expect(second.authorizations).toEqual(['Bearer sk-second-server-key-7777', 'Bearer sk-second-server-key-7777']);
  });

  it('refuses a profile with credentials in its URL, a duplicate name, or Azure without an api-version, naming the field', async () => {
    const { call } = await setup();
    const post = (body: unknown) => call('POST', '/api/providers/profiles', body);
    const bad = await post({ name: 'x', preset: 'custom', baseUrl: 'http://user:pw@127.0.0.1:1/v1', defaultModel: 'm' });
    expect([bad.status, JSON.parse(bad.text).error.message]).toEqual([400, 'baseUrl: must not carry a user name or password; put the key in the key field']);
    const azure = await post({ name: 'az', preset: 'azure', baseUrl: 'https://res.openai.azure.com', defaultModel: 'my-deployment' });
    expect([azure.status, JSON.parse(azure.text).error.message]).toEqual([400, 'azureApiVersion: Azure OpenAI needs an api-version']);
    expect((await post({ name: 'one', preset: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', defaultModel: 'llama3.1' })).status).toBe(201);
    const dup = await post({ name: 'one', preset: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', defaultModel: 'llama3.1' });
    expect([dup.status, JSON.parse(dup.text).error.message]).toEqual([409, 'a provider profile is already named "one"']);
  });
});
