import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { createApp } from '../app.ts';
import { openAppDb } from '../db.ts';
import { loadConfig } from '../config.ts';
import { serverDeps } from '../jobs/setup.ts';
import { seedCorpus } from '../fixtures.ts';
import { main, preflight } from '../start.ts';
import { testApp } from '../testing.ts';
import { stripJsonNul } from '../json.ts';
import { jsonDepth, MAX_JSON_BODY_BYTES } from './body.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-guards-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('Host header on loopback', () => {
  it('refuses a DNS-rebinding page: another host name with a matching Origin gets 421 on reads, writes and exports, and nothing changes', async () => {
    const { app, deps } = testApp();
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Body.' }] }] }]);
    const evil = { host: 'evil.example', origin: 'http://evil.example' };
    const choose = await app.request('/api/auth/me', { method: 'POST', headers: { ...evil, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mallory' }) });
    expect(choose.status).toBe(421);
    expect(await errorOf(choose)).toEqual({ code: 'bad_host', message: 'this server answers only to localhost, 127.0.0.1 and [::1], not to "evil.example" (it listens on loopback)' });
    const patch = await app.request('/api/sources/1', { method: 'PATCH', headers: { ...evil, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Owned' }) });
    expect(patch.status).toBe(421);
    expect((await app.request('/api/export?format=csv', { headers: evil })).status).toBe(421);
    expect((await app.request('/api/health', { headers: { host: 'evil.example:3000' } })).status).toBe(421);
    expect(deps.db.$client.prepare('SELECT name FROM sources').all()).toEqual([{ name: 'Outlet' }]);
    expect(deps.db.$client.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
  });

  it('answers to localhost, its subdomains and loopback addresses, with or without a port', async () => {
    const { app } = testApp();
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:3000', '127.1.2.3', '[::1]:3000', 'app.localhost:8080', 'LOCALHOST.']) {
      expect((await app.request('/api/health', { headers: { host } })).status, host).toBe(200);
    }
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1', 'evil.example']) {
      expect((await app.request('/api/health', { headers: { host } })).status, host).toBe(421);
    }
  });

  it('leaves the Host alone beyond loopback, where every route needs a login', async () => {
    const { app } = testApp({ env: { HOST: '0.0.0.0', FRAMESCOPE_ADMIN_PASSWORD: 'correct horse battery' } });
    expect((await app.request('/api/health', { headers: { host: 'framescope.example.org' } })).status).toBe(200);
  });
});

describe('starting beyond loopback', () => {
  it('refuses HOST=0.0.0.0 when no admin has a password, saying how to set one', async () => {
    const dir = tempDir();
    const db = openDb(join(dir, 'f.db'));
    const config = loadConfig({ HOST: '0.0.0.0' }, { dbPath: join(dir, 'f.db') });
    expect(() => preflight(db, config)).toThrow(
      `HOST=0.0.0.0 serves beyond loopback, where every page needs a login, but no admin has a password yet: set FRAMESCOPE_ADMIN_PASSWORD (at least 12 characters) to create the "admin" login, e.g. FRAMESCOPE_ADMIN_PASSWORD='a long secret' HOST=0.0.0.0 npm start`,
    );
    expect(preflight(db, loadConfig({ HOST: '0.0.0.0', FRAMESCOPE_ADMIN_PASSWORD: 'correct horse battery' }))).toEqual({ readOnlyReason: null });
    db.$client.prepare(`INSERT INTO users (name, role, password_hash) VALUES ('boss', 'admin', 'scrypt$1$1$1$x$y')`).run();
    expect(preflight(db, config)).toEqual({ readOnlyReason: null });
    db.$client.close();
    await expect(main(['--db', join(dir, 'g.db'), '--host', '0.0.0.0', '--port', '0'], {})).rejects.toThrow(/no admin has a password yet: set FRAMESCOPE_ADMIN_PASSWORD/);
  });
});

describe('request bodies', () => {
  it('measures JSON nesting in one pass, ignoring brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[{{{"}],"c":"\\"["}')).toBe(3);
    expect(jsonDepth('[]')).toBe(1);
    expect(jsonDepth('"x"')).toBe(0);
  });

  it('drops NUL from JSON text, raw or escaped, in keys and values, and leaves an escaped backslash before u0000 as text', () => {
    expect(stripJsonNul('{"na\\u0000me":"Out\\u0000let","raw":"a\u0000b","kept":"c:\\\\u0000","n":1}')).toBe('{"name":"Outlet","raw":"ab","kept":"c:\\\\u0000","n":1}');
    expect(JSON.parse(stripJsonNul(JSON.stringify({ list: ['\u0000', 'x\u0000\u0000y', '\\u0000'] })))).toEqual({ list: ['', 'xy', '\\u0000'] });
    const plain = '{"name":"Outlet"}';
    expect(stripJsonNul(plain)).toBe(plain);
  });

  it('stores a source renamed with a NUL in the JSON body without it, and the audit entry too', async () => {
    const { app, deps } = testApp();
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Body.' }] }] }]);
    const id = deps.db.$client.prepare('SELECT id FROM sources').pluck().get() as number;
    const res = await app.request(`/api/sources/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'New\u0000 Outlet', notes: 'path c:\\u0000 stays' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'New Outlet', notes: 'path c:\\u0000 stays' });
    expect(deps.db.$client.prepare('SELECT name, notes FROM sources').all()).toEqual([{ name: 'New Outlet', notes: 'path c:\\u0000 stays' }]);
    const audited = deps.db.$client.prepare("SELECT CAST(after AS TEXT) FROM audit_log WHERE action = 'source.update'").pluck().all() as string[];
    expect(audited.map((a) => JSON.parse(a) as unknown)).toEqual([{ name: 'New Outlet', notes: 'path c:\\u0000 stays' }]);
  });

  it('refuses a 50,000-deep JSON body with 400 on any route instead of overflowing the stack', async () => {
    const { app } = testApp();
    await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    // Inside an object, so a schema that accepts any value under a key (the codebook file) would pass it on.
    const deep = `{"labels":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    for (const [method, path] of [['POST', '/api/tagging/estimate'], ['POST', '/api/items/1/reviews'], ['POST', '/api/codebooks'], ['PUT', '/api/review/settings']] as const) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json', cookie: 'fs_reviewer=x' }, body: deep });
      expect(res.status, path).toBe(400);
      expect(await errorOf(res)).toEqual({ code: 'too_deep', message: 'request body is nested 50001 levels deep; at most 32 are accepted' });
    }
  });

  it('refuses a JSON body over 1 MiB with 413, whether or not it declares its length', async () => {
    const { app } = testApp();
    const big = JSON.stringify({ note: 'x'.repeat(MAX_JSON_BODY_BYTES) });
    const declared = await app.request('/api/tagging/estimate', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
    expect(declared.status).toBe(413);
    expect(await errorOf(declared)).toEqual({ code: 'payload_too_large', message: 'request body is over the 1 MiB limit' });
    const streamed = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await app.request('/api/tagging/estimate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamed, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});

describe('a read-only database', () => {
  it('serves reads and answers writes with 503 and the reason, writing nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'ro.db');
    const writable = openAppDb(path);
    seedCorpus(writable, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Body.' }] }] }]);
    writable.$client.close();
    const db = openDb(path, { readonly: true });
    const app = createApp(serverDeps({ db, config: loadConfig({}, { dbPath: path }), readOnlyReason: 'the file is not writable by this user' }));
    expect((await app.request('/api/sources')).status).toBe(200);
    const patch = await app.request('/api/sources/1', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'New' }) });
    expect(patch.status).toBe(503);
    expect(await errorOf(patch)).toEqual({ code: 'read_only', message: 'the database is read-only (the file is not writable by this user): reading works, nothing can be saved' });
    const name = await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ann' }) });
    expect(name.status).toBe(503);
    expect(db.$client.prepare('SELECT name FROM sources').all()).toEqual([{ name: 'Outlet' }]);
    db.$client.close();
  });
});

describe('lists of ids', () => {
  it('refuses 100,000 ids in a tagging selection, a bulk filter or a dashboard filter with 400 naming the limit', async () => {
    const { app } = testApp();
    await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ann' }) });
    const many = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'fs_reviewer=Ann' }, body: JSON.stringify(body) });
    const estimate = await post('/api/tagging/estimate', { selection: { documentIds: many } });
    expect(estimate.status).toBe(400);
    expect(await errorOf(estimate)).toEqual({ code: 'invalid_input', message: 'selection.documentIds: at most 5000 ids per request; select by source or split the request' });
    const bulk = await post('/api/review/bulk/preview', { filter: { level: 'passage', sources: many }, threshold: 0.5 });
    expect(bulk.status).toBe(400);
    expect((await errorOf(bulk)).message).toBe('filter.sources: at most 5000 ids per request; select by source or split the request');
    const misnamed = await post('/api/review/bulk/preview', { filter: { level: 'passage', source: [1] }, threshold: 0.5 });
    expect([misnamed.status, (await errorOf(misnamed)).message]).toEqual([400, 'filter: Unrecognized key: "source"']);
    const dashboard = await app.request(`/api/dashboard/framing?sources=${many.join(',')}`);
    expect(dashboard.status).toBe(400);
    expect(await errorOf(dashboard)).toEqual({ code: 'too_many_ids', message: 'sources: at most 5000 ids per request, got 100000; select by source or split the request' });
    const exported = await app.request(`/api/export/preview?sources=${many.join(',')}`);
    expect(exported.status).toBe(400);
    expect((await errorOf(exported)).message).toBe('sources: at most 5000 ids per request; select by source or split the request');
  });
});
