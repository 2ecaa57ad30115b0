import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, items, reviews } from '../../db/schema/index.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { createApp } from '../app.ts';
import { testApp } from '../testing.ts';

type App = ReturnType<typeof testApp>['app'];

function corpus(db: Parameters<typeof seedCorpus>[0]) {
  const docs = seedCorpus(db, [
    {
      name: 'Outlet A',
      documents: [{ title: 'First', published: '2024-01-02', passages: [{ text: 'Alpha passage.' }, { text: 'Beta passage.' }, { text: 'Gamma passage.' }, { text: 'Share this!', excluded: true, reason: 'share' }] }],
    },
    { name: 'Outlet B', documents: [{ title: 'Second', passages: [{ text: 'Delta passage.' }, { text: 'Epsilon passage.' }] }] },
  ]);
  const [a, b] = [docs[0]!.passageItemIds, docs[1]!.passageItemIds];
  addSuggestion(db, a[0]!, { label: 'critical', stance: -1, themes: ['sovereignty'], confidence: 0.9 });
  addSuggestion(db, a[1]!, { label: 'analytical', stance: 0, confidence: 0.4 });
  addSuggestion(db, a[2]!, { label: 'integrationist', stance: 2, confidence: 0.7, model: 'm1' });
  addSuggestion(db, a[2]!, { label: 'critical', stance: -2, confidence: 0.6, model: 'm2' });
  addSuggestion(db, b[0]!, { label: 'critical', stance: -1, confidence: 0.95 });
  return { a, b, docs };
}

async function call(app: App, method: string, path: string, opts: { json?: unknown; cookie?: string; headers?: Record<string, string> } = {}) {
  const res = await app.request(path, {
    method,
    headers: { ...(opts.json === undefined ? {} : { 'content-type': 'application/json' }), ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    ...(opts.json === undefined ? {} : { body: JSON.stringify(opts.json) }),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

async function reviewer(app: App, name: string): Promise<string> {
  const res = await call(app, 'POST', '/api/auth/me', { json: { name } });
  expect(res.status).toBe(200);
  return `fs_reviewer=${encodeURIComponent(name)}`;
}

async function view(app: App, id: number, cookie: string) {
  return (await call(app, 'GET', `/api/items/${id}`, { cookie })).body;
}

describe('review queue', () => {
  it('filters by status, label, source, confidence and model disagreement, in SQL order', async () => {
    const { app, deps } = testApp();
    const { a, b } = corpus(deps.db);
    const cookie = await reviewer(app, 'Ann');
    const ids = async (q: string) => (await call(app, 'GET', `/api/review/queue?${q}`, { cookie })).body.entries.map((e: { itemId: number }) => e.itemId);
    expect(await ids('status=unreviewed&order=confidence')).toEqual([b[1], a[1], a[2], a[0], b[0]]);
    expect(await ids('status=unreviewed&order=document')).toEqual([a[0], a[1], a[2], b[0], b[1]]);
    expect(await ids('status=excluded')).toEqual([a[3]]);
    expect(await ids('label=critical&order=document')).toEqual([a[0], a[2], b[0]]);
    expect(await ids('minConfidence=0.5&maxConfidence=0.92&order=confidence')).toEqual([a[2], a[0]]);
    expect(await ids('disagreement=models')).toEqual([a[2]]);
    expect(await ids('model=m1')).toEqual([a[2]]);
    expect(await ids('theme=sovereignty')).toEqual([a[0]]);
    const sourceB = (await call(app, 'GET', `/api/review/queue?sources=${deps.db.select().from(items).where(eq(items.id, b[0]!)).get()!.sourceId}&order=document`, { cookie })).body;
    expect(sourceB.entries.map((e: { itemId: number }) => e.itemId)).toEqual([b[0], b[1]]);
    expect(sourceB.total).toBe(2);
    // Sources by name, as the dashboard and the export take them; an unknown one is named.
    expect((await call(app, 'GET', `/api/review/queue?sources=${encodeURIComponent('Outlet B')}&order=document`, { cookie })).body.total).toBe(2);
    const unknown = await call(app, 'GET', '/api/review/queue?sources=Outlet%20C', { cookie });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, 'sources: no source with the id or name "Outlet C"']);
  });

  it('pages with a cursor without repeating or skipping items', async () => {
    const { app, deps } = testApp();
    const { a, b } = corpus(deps.db);
    const cookie = await reviewer(app, 'Ann');
    const first = (await call(app, 'GET', '/api/review/queue?order=random&limit=3', { cookie })).body;
    const second = (await call(app, 'GET', `/api/review/queue?order=random&limit=3&cursor=${first.nextCursor}`, { cookie })).body;
    const seen = [...first.entries, ...second.entries].map((e: { itemId: number }) => e.itemId);
    expect(second.nextCursor).toBeNull();
    // "Any status" covers every counted item; the excluded "Share this!" (a[3]) only shows under status=excluded.
    expect([...seen].sort((x, y) => x - y)).toEqual([a[0], a[1], a[2], ...b].sort((x, y) => x! - y!));
    const excluded = (await call(app, 'GET', '/api/review/queue?status=excluded', { cookie })).body;
    expect(excluded.entries.map((e: { itemId: number }) => e.itemId)).toEqual([a[3]]);
    expect((await call(app, 'GET', '/api/review/queue?cursor=nonsense', { cookie })).body.error.code).toBe('invalid_cursor');
  });
});

describe('decisions', () => {
  it('accepts, edits, rejects, excludes and undoes as new reviews, each in the audit history with what was shown', async () => {
    const { app, deps } = testApp();
    const { a } = corpus(deps.db);
    const cookie = await reviewer(app, 'Ann');
    const v0 = await view(app, a[0]!, cookie);
    expect(v0.previous).toBeNull();
    expect(v0.next.text).toBe('Beta passage.');
    expect(v0.source.name).toBe('Outlet A');
    const accepted = await call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie, json: { action: 'accept', basedOnVersion: v0.item.version, suggestionId: v0.suggestions[0].id, queueOrder: 'random' } });
    expect(accepted.status).toBe(201);
    expect(accepted.body.item).toMatchObject({ reviewStatus: 'reviewed', reviewedLabel: 'critical', reviewedStance: -1, reviewedThemes: ['sovereignty'] });

    const v1 = await view(app, a[1]!, cookie);
    const edited = await call(app, 'POST', `/api/items/${a[1]}/reviews`, { cookie, json: { action: 'edit', label: 'critical', stance: -2, themes: ['sanctions'], basedOnVersion: v1.item.version, suggestionId: v1.suggestions[0].id } });
    expect(edited.body.item).toMatchObject({ reviewStatus: 'reviewed', reviewedLabel: 'critical', reviewedStance: -2, reviewedThemes: ['sanctions'] });

    const v2 = await view(app, a[2]!, cookie);
    const rejected = await call(app, 'POST', `/api/items/${a[2]}/reviews`, { cookie, json: { action: 'reject', basedOnVersion: v2.item.version, suggestionId: v2.suggestions[0].id, note: 'neither' } });
    expect(rejected.body.item).toMatchObject({ reviewStatus: 'rejected', reviewedLabel: null });
    const undone = await call(app, 'POST', '/api/review/undo', { cookie, json: {} });
    expect(undone.status).toBe(201);
    expect(undone.body).toMatchObject({ undoneReviewId: rejected.body.reviewId, item: { reviewStatus: 'unreviewed' } });

    const v3 = await view(app, a[3]!, cookie);
    const included = await call(app, 'POST', `/api/items/${a[3]}/reviews`, { cookie, json: { action: 'include', basedOnVersion: v3.item.version } });
    expect(included.body.item).toMatchObject({ excluded: false, excludedBy: 'reviewer' });

    const history = (await call(app, 'GET', `/api/items/${a[2]}/history`, { cookie })).body.entries;
    expect(history.map((e: { action: string; actor: string }) => `${e.actor}:${e.action}`)).toEqual(['Ann:review.reject', 'Ann:review.undo']);
    expect(history[0].details.shown.suggestion).toMatchObject({ label: 'critical', model: 'm2' });
    expect(history[1].before).toMatchObject({ reviewStatus: 'rejected' });
    expect(history[1].after).toMatchObject({ reviewStatus: 'unreviewed' });
    const stored = deps.db.select().from(reviews).where(eq(reviews.itemId, a[0]!)).all();
    expect(stored.map((r) => [r.action, r.kind, r.queueOrder, r.label])).toEqual([['accept', 'manual', 'random', 'critical']]);
  });

  it('refuses labels and themes that are not in the codebook, writing nothing', async () => {
    const { app, deps } = testApp();
    const { a } = corpus(deps.db);
    const cookie = await reviewer(app, 'Ann');
    const bad = await call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie, json: { action: 'edit', label: 'sympathetic', basedOnVersion: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('label "sympathetic" is not in the codebook (integrationist, critical, analytical)');
    const theme = await call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie, json: { action: 'edit', label: 'critical', themes: ['weather'], basedOnVersion: 1 } });
    expect(theme.body.error.message).toBe('unknown theme: weather');
    expect(deps.db.select().from(reviews).all()).toEqual([]);
    expect(deps.db.select().from(auditLog).where(eq(auditLog.itemId, a[0]!)).all()).toEqual([]);
  });

  it('keeps the first of two conflicting concurrent decisions and refuses the stale one with 409 and the current state', async () => {
    const { app, deps } = testApp();
    const { a } = corpus(deps.db);
    const ann = await reviewer(app, 'Ann');
    const bob = await reviewer(app, 'Bob');
    const v = await view(app, a[0]!, ann);
    const [r1, r2] = await Promise.all([
      call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie: ann, json: { action: 'edit', label: 'analytical', basedOnVersion: v.item.version, suggestionId: v.suggestions[0].id } }),
      call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie: bob, json: { action: 'edit', label: 'integrationist', basedOnVersion: v.item.version, suggestionId: v.suggestions[0].id } }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    const refused = r1.status === 409 ? r1 : r2;
    const kept = r1.status === 201 ? r1 : r2;
    expect(refused.body.error.code).toBe('stale_view');
    expect(refused.body.error.message).toMatch(/^item \d+ changed since you opened it \(now reviewed as (analytical|integrationist)\); your decision was not saved — reload and decide again$/);
    expect(refused.body.error.details.current.reviewedLabel).toBe(kept.body.item.reviewedLabel);
    const stored = deps.db.select().from(reviews).where(eq(reviews.itemId, a[0]!)).all();
    expect(stored.map((r) => r.id)).toEqual([kept.body.reviewId]);
  });

  it('keeps both concurrent decisions when they agree, and both conflicting ones under overlap (then disputed)', async () => {
    const { app, deps } = testApp();
    const { a } = corpus(deps.db);
    const ann = await reviewer(app, 'Ann'); // first person: admin
    const bob = await reviewer(app, 'Bob');
    const v = await view(app, a[0]!, bob);
    const agree = await Promise.all(
      [ann, bob].map((cookie) => call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie, json: { action: 'accept', basedOnVersion: v.item.version, suggestionId: v.suggestions[0].id } })),
    );
    expect(agree.map((r) => r.status)).toEqual([201, 201]);
    expect(deps.db.select().from(items).where(eq(items.id, a[0]!)).get()).toMatchObject({ reviewStatus: 'reviewed', reviewCount: 2 });

    expect((await call(app, 'PUT', '/api/review/settings', { cookie: bob, json: { overlap: 2, overlapShare: 1, blind: false } })).status).toBe(403);
    expect((await call(app, 'PUT', '/api/review/settings', { cookie: ann, json: { overlap: 2, overlapShare: 1, blind: false } })).status).toBe(200);
    const w = await view(app, a[1]!, bob);
    const both = await Promise.all(
      [
        [ann, 'critical'],
        [bob, 'integrationist'],
      ].map(([cookie, label]) => call(app, 'POST', `/api/items/${a[1]}/reviews`, { cookie, json: { action: 'edit', label, basedOnVersion: w.item.version } })),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(deps.db.select().from(items).where(eq(items.id, a[1]!)).get()!.reviewStatus).toBe('disputed');
    // Coders work independently: Cy, who has not decided, sees neither decision nor its history
    // entries; Bob, once he has decided, sees what the others decided too.
    const cy = await reviewer(app, 'Cy');
    const cyView = await view(app, a[1]!, cy);
    expect(cyView.item.reviewStatus).toBeNull();
    expect(cyView.reviews).toEqual([]);
    expect(cyView.othersHidden).toBe(true);
    expect((await call(app, 'GET', `/api/items/${a[1]}/history`, { cookie: cy })).body.entries).toEqual([]);
    const bobView = await view(app, a[1]!, bob);
    expect(bobView.item.reviewStatus).toBe('disputed');
    expect(bobView.reviews.map((r: { reviewer: string }) => r.reviewer)).toEqual(['Ann', 'Bob']);
    expect(bobView.mine).toMatchObject({ action: 'edit', label: 'integrationist' });
    const cases = (await call(app, 'GET', '/api/review/adjudication?kind=reviewers', { cookie: ann })).body.cases;
    expect(cases.map((c: { itemId: number; decisions: { reviewer: string; label: string }[] }) => [c.itemId, c.decisions.map((d) => `${d.reviewer}:${d.label}`)])).toEqual([
      [a[1], ['Ann:critical', 'Bob:integrationist']],
    ]);
    expect((await call(app, 'POST', `/api/items/${a[1]}/reviews`, { cookie: bob, json: { action: 'adjudicate', label: 'critical', basedOnVersion: 0 } })).status).toBe(403);
    const settled = await call(app, 'POST', `/api/items/${a[1]}/reviews`, { cookie: ann, json: { action: 'adjudicate', label: 'analytical', basedOnVersion: (await view(app, a[1]!, ann)).item.version } });
    expect(settled.body.item).toMatchObject({ reviewStatus: 'adjudicated', reviewedLabel: 'analytical', finalOrigin: 'adjudication' });
    expect(deps.db.select().from(reviews).where(eq(reviews.itemId, a[1]!)).orderBy(reviews.id).all().map((r) => r.action)).toEqual(['edit', 'edit', 'adjudicate']);
  });

  it('blind mode hides suggestions and records blind reviews', async () => {
    const { app, deps } = testApp();
    const { a } = corpus(deps.db);
    const ann = await reviewer(app, 'Ann');
    const bob = await reviewer(app, 'Bob');
    await call(app, 'PUT', '/api/review/settings', { cookie: ann, json: { overlap: 1, overlapShare: 1, blind: true } });
    const v = await view(app, a[0]!, bob);
    expect(v.suggestions).toEqual([]);
    expect(v.blind).toBe(true);
    const q = (await call(app, 'GET', '/api/review/queue?order=document&limit=1', { cookie: bob })).body.entries[0];
    expect(q.suggestedLabel).toBeNull();
    const r = await call(app, 'POST', `/api/items/${a[0]}/reviews`, { cookie: bob, json: { action: 'edit', label: 'analytical', basedOnVersion: v.item.version, queueOrder: 'random' } });
    expect(r.status).toBe(201);
    expect(deps.db.select().from(reviews).get()).toMatchObject({ blind: true, queueOrder: 'random', suggestionId: null });
  });

  it('bulk-accepts exactly the previewed items above the threshold as bulk reviews, and refuses a changed selection', async () => {
    const { app, deps } = testApp();
    const { a, b } = corpus(deps.db);
    const cookie = await reviewer(app, 'Ann');
    const filter = { level: 'passage' };
    const preview = (await call(app, 'POST', '/api/review/bulk/preview', { cookie, json: { filter, threshold: 0.85 } })).body;
    expect(preview.count).toBe(2);
    expect(preview.items.map((i: { itemId: number; label: string }) => [i.itemId, i.label])).toEqual([
      [b[0], 'critical'],
      [a[0], 'critical'],
    ]);
    const stale = await call(app, 'POST', '/api/review/bulk/accept', { cookie, json: { filter, threshold: 0.85, expectedCount: 3 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('the selection changed: 2 items match now, you confirmed 3; preview again');
    expect(deps.db.select().from(reviews).all()).toEqual([]);
    const done = await call(app, 'POST', '/api/review/bulk/accept', { cookie, json: { filter, threshold: 0.85, expectedCount: 2 } });
    expect(done.body).toEqual({ accepted: 2, skipped: 0 });
    expect(deps.db.select().from(reviews).all().map((r) => [r.itemId, r.kind, r.action, r.label])).toEqual([
      [a[0], 'bulk', 'accept', 'critical'],
      [b[0], 'bulk', 'accept', 'critical'],
    ]);
    expect((await call(app, 'GET', '/api/stats')).body.reviewedItems).toBe(2);
  });
});

describe('agreement over the API', () => {
  it('reports human-human and model-human agreement apart, leaving bulk reviews out', async () => {
    const { app, deps } = testApp();
    const { a, b } = corpus(deps.db);
    for (const [item, ann, bob] of [
      [a[0]!, 'critical', 'critical'],
      [a[1]!, 'analytical', 'critical'],
      [a[2]!, 'integrationist', 'integrationist'],
      [b[0]!, 'critical', 'critical'],
    ] as const) {
      addReview(deps.db, item, { reviewer: 'Ann', action: 'edit', label: ann });
      addReview(deps.db, item, { reviewer: 'Bob', action: 'edit', label: bob });
    }
    addReview(deps.db, b[1]!, { reviewer: 'Ann', action: 'accept', label: 'critical', kind: 'bulk' });
    const report = (await call(app, 'GET', '/api/review/agreement')).body;
    expect(report.humanHuman.n).toBe(4);
    expect(report.humanHuman.reviewers).toEqual(['Ann', 'Bob']);
    expect(report.humanHuman.percent.estimate).toBeCloseTo(0.75, 12);
    const pair = report.humanHuman.perPair[0];
    expect([pair.a, pair.b, pair.n]).toEqual(['Ann', 'Bob', 4]);
    // Ann: c,a,i,c  Bob: c,c,i,c — p_o = 3/4; p_e = (2/4)(3/4) + (1/4)(0) + (1/4)(1/4) = 7/16; kappa = (12/16-7/16)/(9/16) = 5/9
    expect(pair.cohen.estimate).toBeCloseTo(5 / 9, 12);
    // Model (latest suggestions): critical, analytical, critical, critical against the items' human labels,
    // one pair per item: a[1] is disputed (no human label), b[1] has only a bulk accept.
    expect(report.modelHuman.n).toBe(3);
    expect(report.modelHuman.percent.estimate).toBeCloseTo(2 / 3, 12);
    expect(report.leftOut).toEqual({ bulk: 1, import: 0, sawOthers: 0 });
    expect(report.humanHuman.perLabel.map((l: { label: string }) => l.label)).toEqual(['integrationist', 'critical', 'analytical']);
  });
});

describe('login beyond loopback', () => {
  const env = { HOST: '0.0.0.0', FRAMESCOPE_ADMIN_PASSWORD: 'correct horse battery' };

  it('requires a session on every API route except health, openapi and login', async () => {
    const { app } = testApp({ env });
    expect((await call(app, 'GET', '/api/health')).status).toBe(200);
    expect((await app.request('/api/openapi.json')).status).toBe(200);
    for (const path of ['/api/stats', '/api/review/queue', '/api/items/1', '/api/review/agreement', '/api/users']) {
      const res = await call(app, 'GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'login required' } });
    }
    expect((await call(app, 'POST', '/api/auth/me', { json: { name: 'Eve' } })).status).toBe(401);
  });

  it('logs the bootstrapped admin in with secure cookies, checks CSRF on writes, and lets the admin create reviewers', async () => {
    const { app } = testApp({ env });
    const wrong = await call(app, 'POST', '/api/auth/login', { json: { name: 'admin', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('wrong name or password');
    const ok = await call(app, 'POST', '/api/auth/login', { json: { name: 'admin', password: env.FRAMESCOPE_ADMIN_PASSWORD } });
    expect(ok.status).toBe(200);
    const setCookies = ok.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('fs_session='))!;
    const csrf = setCookies.find((c) => c.startsWith('fs_csrf='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(csrf).not.toMatch(/HttpOnly/);
    const cookie = [session, csrf].map((c) => c.split(';')[0]).join('; ');
    const token = decodeURIComponent(csrf.split(';')[0]!.slice('fs_csrf='.length));
    expect((await call(app, 'GET', '/api/stats', { cookie })).status).toBe(200);
    const noToken = await call(app, 'POST', '/api/users', { cookie, json: { name: 'Rita', password: 'another long secret' } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf');
    const created = await call(app, 'POST', '/api/users', { cookie, headers: { 'x-csrf-token': token }, json: { name: 'Rita', password: 'another long secret' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Rita', role: 'reviewer', hasPassword: true });
    const rita = await call(app, 'POST', '/api/auth/login', { json: { name: 'Rita', password: 'another long secret' } });
    expect(rita.body.actor).toMatchObject({ name: 'Rita', role: 'reviewer' });
    const crossSite = await call(app, 'POST', '/api/auth/logout', { cookie, headers: { 'x-csrf-token': token, origin: 'https://evil.example', host: 'localhost' } });
    expect(crossSite.status).toBe(403);
  });

  it('lets the admin chosen on loopback set a password, so the same person can log in once the server binds beyond loopback', async () => {
    const local = testApp();
    const cookie = await reviewer(local.app, 'Lena');
    const lena = (await call(local.app, 'GET', '/api/auth/me', { cookie })).body.actor;
    expect(lena.role).toBe('admin');
    const set = await call(local.app, 'PUT', `/api/users/${lena.id}/password`, { cookie, json: { password: 'a long enough secret' } });
    expect(set.status).toBe(200);
    const remote = createApp({ ...local.deps, config: { ...local.deps.config, host: '0.0.0.0', loopbackOnly: false } });
    const res = await call(remote, 'POST', '/api/auth/login', { json: { name: 'Lena', password: 'a long enough secret' } });
    expect(res.body.actor).toEqual({ id: lena.id, name: 'Lena', role: 'admin' });
  });
});
