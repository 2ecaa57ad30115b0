import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { items, reviews } from '../../db/schema/index.ts';
import { addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';

type App = ReturnType<typeof testApp>['app'];

function corpus(db: Parameters<typeof seedCorpus>[0]) {
  const [doc] = seedCorpus(db, [{ name: 'Outlet A', documents: [{ title: 'First', passages: [{ text: 'Alpha passage.' }, { text: 'Beta passage.' }, { text: 'Gamma passage.' }] }] }]);
  const ids = doc!.passageItemIds;
  addSuggestion(db, ids[0]!, { label: 'critical', stance: -1, themes: ['sovereignty'], confidence: 0.9 });
  addSuggestion(db, ids[1]!, { label: 'analytical', stance: 0, confidence: 0.4 });
  addSuggestion(db, ids[2]!, { label: 'integrationist', stance: 2, confidence: 0.7 });
  return ids;
}

async function call(app: App, method: string, path: string, cookie: string, json?: unknown) {
  const res = await app.request(path, {
    method,
    headers: { cookie, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: res.status, body: (await res.json()) as any }; // the routes' own schemas are checked in routes/openapi.test.ts
}

async function reviewer(app: App, name: string): Promise<string> {
  await app.request('/api/auth/me', { method: 'POST', body: JSON.stringify({ name }), headers: { 'content-type': 'application/json' } });
  return `fs_reviewer=${encodeURIComponent(name)}`;
}

const reviewsOf = (db: ReturnType<typeof testApp>['deps']['db'], itemId: number) => db.select().from(reviews).where(eq(reviews.itemId, itemId)).orderBy(reviews.id).all();

describe('coding an item again', () => {
  it("shows the reviewer's own standing decision, records nothing for it unchanged, and a real change as a new review", async () => {
    const { app, deps } = testApp();
    const ids = corpus(deps.db);
    const ann = await reviewer(app, 'Ann');
    const v = (await call(app, 'GET', `/api/items/${ids[0]}`, ann)).body;
    expect(v.mine).toBeNull();
    await call(app, 'POST', `/api/items/${ids[0]}/reviews`, ann, { action: 'edit', label: 'integrationist', stance: 2, themes: ['union-state', 'sovereignty'], basedOnVersion: v.item.version, suggestionId: v.suggestions[0].id });
    const again = (await call(app, 'GET', `/api/items/${ids[0]}`, ann)).body;
    expect(again.mine).toMatchObject({ action: 'edit', label: 'integrationist', stance: 2, themes: ['sovereignty', 'union-state'] });
    expect(again.suggestions[0].label).toBe('critical');

    const same = await call(app, 'POST', `/api/items/${ids[0]}/reviews`, ann, { action: 'edit', label: 'integrationist', stance: 2, themes: ['sovereignty', 'union-state'], basedOnVersion: again.item.version, suggestionId: again.suggestions[0].id });
    expect(same.status).toBe(201);
    expect(same.body).toMatchObject({ unchanged: true, reviewId: again.mine.reviewId, item: { reviewedLabel: 'integrationist' } });
    expect(reviewsOf(deps.db, ids[0]!)).toHaveLength(1);

    const changed = await call(app, 'POST', `/api/items/${ids[0]}/reviews`, ann, { action: 'edit', label: 'integrationist', stance: 1, themes: ['sovereignty', 'union-state'], basedOnVersion: again.item.version, suggestionId: again.suggestions[0].id });
    expect(changed.body.unchanged).toBeUndefined();
    expect(reviewsOf(deps.db, ids[0]!).map((r) => [r.action, r.label, r.stance])).toEqual([
      ['edit', 'integrationist', 2],
      ['edit', 'integrationist', 1],
    ]);
    // An accept of the suggestion, repeated, is the same decision too.
    const w = (await call(app, 'GET', `/api/items/${ids[1]}`, ann)).body;
    const first = await call(app, 'POST', `/api/items/${ids[1]}/reviews`, ann, { action: 'accept', basedOnVersion: w.item.version, suggestionId: w.suggestions[0].id });
    const repeat = await call(app, 'POST', `/api/items/${ids[1]}/reviews`, ann, { action: 'accept', basedOnVersion: first.body.item.version, suggestionId: w.suggestions[0].id });
    expect(repeat.body).toMatchObject({ unchanged: true, reviewId: first.body.reviewId });
  });

  it('refuses an exclusion without a reason, and records who excluded the passage, when and why', async () => {
    const { app, deps } = testApp();
    const ids = corpus(deps.db);
    const ann = await reviewer(app, 'Ann');
    const v = (await call(app, 'GET', `/api/items/${ids[2]}`, ann)).body;
    const bare = await call(app, 'POST', `/api/items/${ids[2]}/reviews`, ann, { action: 'exclude', basedOnVersion: v.item.version });
    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('reason_required');
    const excluded = await call(app, 'POST', `/api/items/${ids[2]}/reviews`, ann, { action: 'exclude', note: 'caption', basedOnVersion: v.item.version });
    expect(excluded.body.item).toMatchObject({ excluded: true, excludedReason: 'caption', excludedBy: 'reviewer' });
    const passage = deps.db.$client.prepare('SELECT p.exclusion_review_id AS review FROM items i JOIN passages p ON p.id = i.passage_id WHERE i.id = ?').get(ids[2]!) as { review: number };
    expect(passage.review).toBe(excluded.body.reviewId);
  });
});

describe('blind mode and overlap', () => {
  it('keeps an admin who codes blind to the model and to the other coder until deciding, and adjudication for when both have decided', async () => {
    const { app, deps } = testApp();
    const ids = corpus(deps.db);
    const admin = await reviewer(app, 'Ada'); // the first person on loopback is the admin
    const bob = await reviewer(app, 'Bob');
    expect((await call(app, 'PUT', '/api/review/settings', admin, { overlap: 2, overlapShare: 1, blind: true })).status).toBe(200);

    const bobView = (await call(app, 'GET', `/api/items/${ids[0]}`, bob)).body;
    expect(bobView.suggestions).toEqual([]);
    await call(app, 'POST', `/api/items/${ids[0]}/reviews`, bob, { action: 'edit', label: 'analytical', stance: 0, basedOnVersion: bobView.item.version });

    const adminView = (await call(app, 'GET', `/api/items/${ids[0]}`, admin)).body;
    expect(adminView).toMatchObject({ blind: true, othersHidden: true, suggestions: [], reviews: [], item: { reviewStatus: null, reviewedLabel: null } });
    expect(adminView.adjudication).toEqual({ required: 2, independent: 1, ready: false });
    const queued = (await call(app, 'GET', '/api/review/queue?order=document', admin)).body.entries[0];
    expect([queued.suggestedLabel, queued.reviewStatus]).toEqual([null, null]);
    const accept = await call(app, 'POST', `/api/items/${ids[0]}/reviews`, admin, { action: 'accept', suggestionId: deps.db.select().from(items).where(eq(items.id, ids[0]!)).get()!.latestSuggestionId, basedOnVersion: adminView.item.version });
    expect(accept.status).toBe(400);
    expect(accept.body.error.code).toBe('blind');
    const early = await call(app, 'POST', `/api/items/${ids[0]}/reviews`, admin, { action: 'adjudicate', label: 'analytical', basedOnVersion: adminView.item.version });
    expect(early.status).toBe(409);
    expect(early.body.error).toEqual({ code: 'adjudication_not_ready', message: `item ${ids[0]} has 1 of the 2 independent decisions it needs; adjudication waits for them` });
    expect((await call(app, 'GET', '/api/review/adjudication', admin)).body.cases).toEqual([]);

    const decided = await call(app, 'POST', `/api/items/${ids[0]}/reviews`, admin, { action: 'edit', label: 'critical', stance: -1, basedOnVersion: adminView.item.version });
    expect(decided.status).toBe(201);
    expect(reviewsOf(deps.db, ids[0]!).map((r) => [r.action, r.label, r.blind])).toEqual([
      ['edit', 'analytical', true],
      ['edit', 'critical', true],
    ]);
    const after = (await call(app, 'GET', `/api/items/${ids[0]}`, admin)).body;
    expect(after.suggestions.map((s: { label: string }) => s.label)).toEqual(['critical']);
    expect(after.reviews.map((r: { reviewer: string }) => r.reviewer)).toEqual(['Bob', 'Ada']);
    expect(after.adjudication).toEqual({ required: 2, independent: 2, ready: true });
    expect((await call(app, 'GET', '/api/review/adjudication', admin)).body.cases.map((c: { itemId: number }) => c.itemId)).toEqual([ids[0]]);

    // Adjudication is its own step for admins, seeing everything.
    expect((await call(app, 'GET', `/api/items/${ids[1]}?mode=adjudicate`, bob)).status).toBe(403);
    const adjudicating = (await call(app, 'GET', `/api/items/${ids[0]}?mode=adjudicate`, admin)).body;
    expect(adjudicating).toMatchObject({ mode: 'adjudicate', blind: false, othersHidden: false });
    const settled = await call(app, 'POST', `/api/items/${ids[0]}/reviews`, admin, { action: 'adjudicate', label: 'critical', stance: -1, suggestionId: adjudicating.suggestions[0].id, basedOnVersion: adjudicating.item.version });
    expect(settled.body.item).toMatchObject({ reviewStatus: 'adjudicated', finalOrigin: 'adjudication' });
  });
});
