import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { testApp } from '../testing.ts';
import { ROUTE_ACCESS, type Access } from './roles.ts';
import { createUser, login } from './service.ts';

type App = ReturnType<typeof createApp>;

/** Every answering route of the app as `METHOD /api/pattern`. */
function servedRoutes(app: App): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))].sort();
}

/** A request to a route pattern: placeholder ids, and a body no route accepts (so no write happens past the gate). */
function requestFor(key: string, headers: Record<string, string>): [string, RequestInit] {
  const [method, pattern] = key.split(' ') as [string, string];
  const path = pattern.replace(':id', '999').replace(':name', 'none');
  const write = method !== 'GET';
  return [path, { method, headers: { ...headers, ...(write ? { 'content-type': 'application/json' } : {}) }, ...(write ? { body: '[]' } : {}) }];
}

/** True when the auth layer (not the route) refused the request. */
const refusedByRole = (status: number, code: string) => status === 401 || (status === 403 && ['admin_only', 'no_role_rule', 'csrf'].includes(code));

async function attempt(app: App, key: string, headers: Record<string, string>) {
  const res = await app.request(...requestFor(key, headers));
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code ?? '' };
}

/** The table's rows, logout last (it ends the session the other rows are tried with). */
const rows = () => Object.entries(ROUTE_ACCESS).sort(([a], [b]) => Number(a === 'POST /api/auth/logout') - Number(b === 'POST /api/auth/logout'));

const RANK: Record<Access, number> = { public: 0, read: 1, review: 2, admin: 3 };

describe('the role table', () => {
  it('has exactly one row for every route the app serves, and no row for a route it does not', () => {
    const { app } = testApp();
    const served = servedRoutes(app);
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((r) => !(r in ROUTE_ACCESS)), 'routes missing from the role table').toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((r) => !served.includes(r)), 'rows for routes that do not exist').toEqual([]);
  });

  it('beyond loopback: lets each row through for the roles it names and refuses everyone below', async () => {
    const { app, deps } = testApp({ env: { HOST: '0.0.0.0', FRAMESCOPE_ADMIN_PASSWORD: 'correct horse battery' } });
    await app.request('/api/health'); // the admin is bootstrapped on the first request
    const admin = await login(deps.db, 'admin', 'correct horse battery', deps.now());
    await createUser(deps.db, admin.actor, { name: 'Rita', role: 'reviewer', password: 'another long secret' });
    const rita = await login(deps.db, 'Rita', 'another long secret', deps.now());
    const as = (s: typeof admin) => ({ cookie: `fs_session=${s.sessionToken}`, 'x-csrf-token': s.csrfToken });
    const callers: [string, number, Record<string, string>][] = [
      ['nobody', 0, {}],
      ['reviewer', 2, as(rita)],
      ['admin', 3, as(admin)],
    ];
    for (const [key, rule] of rows()) {
      for (const [who, rank, headers] of callers) {
        const { status, code } = await attempt(app, key, headers);
        const allowed = RANK[rule.access] === 0 || rank >= Math.max(RANK[rule.access], 1);
        expect(refusedByRole(status, code), `${key} as ${who}: ${status} ${code}`).toBe(!allowed);
      }
    }
  });

  it('on loopback: the table applies to the named person; with no name, reading and the operator admin work (as on the CLI) but not reviewing or people work', async () => {
    const { app } = testApp();
    const name = async (n: string) => {
      const res = await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: n }) });
      expect(res.status).toBe(200);
      return { cookie: `fs_reviewer=${n}` };
    };
    const admin = await name('Lena');
    const reviewer = await name('Omar');
    for (const [key, rule] of rows()) {
      const cases: [string, Record<string, string>, boolean][] = [
        ['nobody named', {}, rule.access === 'public' || rule.access === 'read' || rule.operator === true],
        ['a reviewer', reviewer, rule.access !== 'admin'],
        ['the admin', admin, true],
      ];
      for (const [who, headers, allowed] of cases) {
        const { status, code } = await attempt(app, key, headers);
        expect(refusedByRole(status, code), `${key} as ${who}: ${status} ${code}`).toBe(!allowed);
      }
    }
  });

  it('keeps a reviewer from renaming a source or pointing it at a script, and from loading the demo', async () => {
    const { app, deps } = testApp({ env: { HOST: '0.0.0.0', FRAMESCOPE_ADMIN_PASSWORD: 'correct horse battery' } });
    await app.request('/api/health');
    const admin = await login(deps.db, 'admin', 'correct horse battery', deps.now());
    const headers = { cookie: `fs_session=${admin.sessionToken}`, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' };
    expect((await app.request('/api/imports/demo', { method: 'POST', headers })).status).toBe(200);
    await createUser(deps.db, admin.actor, { name: 'Rita', role: 'reviewer', password: 'another long secret' });
    const rita = await login(deps.db, 'Rita', 'another long secret', deps.now());
    const ritaHeaders = { cookie: `fs_session=${rita.sessionToken}`, 'x-csrf-token': rita.csrfToken, 'content-type': 'application/json' };
    const before = deps.db.$client.prepare('SELECT id, name, url FROM sources ORDER BY id').all();
    const patch = await app.request('/api/sources/1', { method: 'PATCH', headers: ritaHeaders, body: JSON.stringify({ name: 'Renamed', url: 'https://example.org/' }) });
    expect(patch.status).toBe(403);
    expect(await patch.json()).toEqual({ error: { code: 'admin_only', message: 'only an admin can do this; Rita is a reviewer' } });
    expect((await app.request('/api/imports/demo', { method: 'POST', headers: ritaHeaders })).status).toBe(403);
    expect(deps.db.$client.prepare('SELECT id, name, url FROM sources ORDER BY id').all()).toEqual(before);
  });
});
