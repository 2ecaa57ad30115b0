import { describe, expect, it } from 'vitest';
import { addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';
import { setProtocol } from './protocol.ts';

async function setup() {
  const { app, deps } = testApp();
  const [doc] = seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Alpha.' }, { text: 'Beta.' }] }] }]);
  const [alpha, beta] = doc!.passageItemIds as [number, number];
  const suggestionId = addSuggestion(deps.db, alpha, { label: 'critical', stance: -1, themes: ['sovereignty'] });
  const as = async (name: string) => {
    await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    return async (path: string, body: unknown) => {
      const r = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `fs_reviewer=${encodeURIComponent(name)}` }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as any };
    };
  };
  return { deps, as, alpha, beta, suggestionId };
}

describe('what a decision stores', () => {
  it('keeps what a skip or a note leaves out as SQL NULL, and what an accept saw as its JSON', async () => {
    const { deps, as, alpha, beta, suggestionId } = await setup();
    const ann = await as('Ann');
    expect((await ann(`/api/items/${alpha}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 1 })).status).toBe(201);
    expect((await ann(`/api/items/${beta}/reviews`, { action: 'skip', basedOnVersion: 0, timeSpentMs: 1200 })).status).toBe(201);
    expect((await ann(`/api/items/${beta}/notes`, { note: 'caption?' })).status).toBe(201);
    // JSON columns are compared as values: PostgreSQL's jsonb keeps its own spacing and key order
    // (the API answers them parsed, so a reader never sees either).
    const rows = (
      deps.db.$client
        .prepare('SELECT action, label, stance, themes, note, suggestion_id AS "suggestionId", shown, blind, time_spent_ms AS "timeSpentMs", idempotency_key AS "idempotencyKey" FROM reviews ORDER BY id')
        .all() as { themes: string | null; shown: string | null }[]
    ).map((r) => ({ ...r, themes: r.themes === null ? null : (JSON.parse(r.themes) as unknown), shown: r.shown === null ? null : (JSON.parse(r.shown) as unknown) }));
    expect(rows).toEqual([
      {
        action: 'accept',
        label: 'critical',
        stance: -1,
        themes: ['sovereignty'],
        note: null,
        suggestionId,
        shown: {
          suggestion: { id: suggestionId, label: 'critical', stance: -1, themes: ['sovereignty'], confidence: 0.8, provider: 'local', model: 'local-baseline' },
          blind: false,
          othersDecisionsShown: true,
          mode: 'code',
          version: 1,
        },
        blind: 0,
        timeSpentMs: null,
        idempotencyKey: null,
      },
      {
        action: 'skip',
        label: null,
        stance: null,
        themes: null,
        note: null,
        suggestionId: null,
        shown: { suggestion: null, blind: false, othersDecisionsShown: true, mode: 'code', version: 0 },
        blind: 0,
        timeSpentMs: 1200,
        idempotencyKey: null,
      },
    ]);
    const audits = (
      deps.db.$client
        .prepare('SELECT action, item_id AS "itemId", CASE WHEN before IS NULL THEN 1 ELSE 0 END AS "noBefore", CASE WHEN after IS NULL THEN 1 ELSE 0 END AS "noAfter", details FROM audit_log WHERE item_id IS NOT NULL ORDER BY id')
        .all() as { details: string; [column: string]: unknown }[]
    ).map(({ details, ...r }) => ({ ...r, note: (JSON.parse(details) as { note: string | null }).note }));
    expect(audits).toEqual([
      { action: 'review.accept', itemId: alpha, noBefore: 0, noAfter: 0, note: null },
      { action: 'review.skip', itemId: beta, noBefore: 0, noAfter: 0, note: null },
      { action: 'item.note', itemId: beta, noBefore: 1, noAfter: 1, note: 'caption?' },
    ]);
  });

  it("answers a coder of an independent item with the others' decisions hidden until their own accept, edit or reject", async () => {
    const { deps, as, alpha, suggestionId } = await setup();
    const admin = await as('Admin');
    const ann = await as('Ann');
    const bob = await as('Bob');
    setProtocol(deps.db, { id: 1, name: 'Admin', role: 'admin' }, { overlap: 2, overlapShare: 1, blind: false });
    const accepted = await ann(`/api/items/${alpha}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 1 });
    expect(accepted.body.item).toMatchObject({ reviewStatus: 'reviewed', reviewCount: 1, reviewedLabel: 'critical', reviewedStance: -1, reviewedThemes: ['sovereignty'], finalOrigin: 'reviewer' });
    const skipped = await bob(`/api/items/${alpha}/reviews`, { action: 'skip', basedOnVersion: 2 });
    expect(skipped.status).toBe(201);
    expect(skipped.body.item).toMatchObject({ id: alpha, version: 3, reviewStatus: null, reviewCount: null, reviewedLabel: null, reviewedStance: null, reviewedThemes: [], finalOrigin: null });
    const edited = await bob(`/api/items/${alpha}/reviews`, { action: 'edit', label: 'analytical', stance: 0, basedOnVersion: 3 });
    expect(edited.body.item).toMatchObject({ version: 4, reviewStatus: 'disputed', reviewCount: 2, reviewedLabel: null, finalOrigin: null });
    const settled = await admin(`/api/items/${alpha}/reviews`, { action: 'adjudicate', label: 'analytical', stance: 0, basedOnVersion: 4 });
    expect(settled.status).toBe(201);
    // The admin has no coding decision of their own on the item: the answer hides the others' as coding would.
    expect(settled.body.item).toMatchObject({ version: 5, reviewStatus: null, reviewedLabel: null });
    expect(deps.db.$client.prepare('SELECT review_status AS s, reviewed_label AS l FROM items WHERE id = ?').get(alpha)).toEqual({ s: 'adjudicated', l: 'analytical' });
  });
});
