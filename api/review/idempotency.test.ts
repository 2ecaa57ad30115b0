import { describe, expect, it } from 'vitest';
import { addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';

async function setup() {
  const { app, deps } = testApp();
  const [doc] = seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'Alpha.' }, { text: 'Beta.' }] }] }]);
  const [alpha, beta] = doc!.passageItemIds as [number, number];
  const suggestionId = addSuggestion(deps.db, alpha, { label: 'critical', stance: -1 });
  const as = async (name: string) => {
    await app.request('/api/auth/me', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    return async (path: string, body: unknown) => {
      const r = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `fs_reviewer=${name}` }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as any };
    };
  };
  const reviews = () => deps.db.$client.prepare('SELECT id, item_id AS itemId, reviewer_id AS reviewerId, action FROM reviews ORDER BY id').all();
  return { as, alpha, beta, suggestionId, reviews };
}

describe('replaying a decision', () => {
  it('stores one review for the same idempotency key, and answers the replay with that review', async () => {
    const { as, alpha, suggestionId, reviews } = await setup();
    const ann = await as('Ann');
    const decision = { action: 'accept', suggestionId, basedOnVersion: 1, idempotencyKey: 'view-1:accept' };
    const first = await ann(`/api/items/${alpha}/reviews`, decision);
    const again = await ann(`/api/items/${alpha}/reviews`, decision);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.reviewId).toBe(first.body.reviewId);
    expect(again.body.replayed).toBe(true);
    expect(first.body.replayed).toBeUndefined();
    expect(reviews()).toHaveLength(1);
  });

  it('refuses the same key for another decision with 409, and keeps keys apart per reviewer', async () => {
    const { as, alpha, beta, suggestionId, reviews } = await setup();
    const ann = await as('Ann');
    const bob = await as('Bob');
    await ann(`/api/items/${alpha}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 1, idempotencyKey: 'k1' });
    const other = await ann(`/api/items/${beta}/reviews`, { action: 'skip', basedOnVersion: 0, idempotencyKey: 'k1' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
    const bobs = await bob(`/api/items/${alpha}/reviews`, { action: 'accept', suggestionId, basedOnVersion: 1, idempotencyKey: 'k1' });
    expect(bobs.status).toBe(201);
    expect(reviews().map((r: any) => r.action)).toEqual(['accept', 'accept']);
  });
});
