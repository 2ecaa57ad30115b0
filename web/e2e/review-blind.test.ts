import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyLocalReviewer } from '../../api/auth/service.ts';
import { addSuggestion, seedCorpus } from '../../api/fixtures.ts';
import { decide } from '../../api/review/decisions.ts';
import { setProtocol } from '../../api/review/protocol.ts';
import { reviews } from '../../db/schema/index.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

describe('blind mode with overlap 2 in Chromium, the admin coding', () => {
  let fx: BrowserFixture;
  let item: number;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    const [doc] = seedCorpus(fx.db, [{ name: 'Fictional Gazette', documents: [{ title: 'A summit', published: '2025-03-04', passages: [{ text: 'Delegates argued over a customs union.' }] }] }]);
    item = doc!.passageItemIds[0]!;
    addSuggestion(fx.db, item, { label: 'analytical', stance: 0, confidence: 0.9, themes: ['sanctions'] });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('shows the admin neither the model nor the other coder until she has decided, then both', { timeout: 90_000 }, async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/review?order=document`);
    await page.waitForSelector('input[aria-label="Reviewer name"]:focus');
    await page.keyboard.type('Tess');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="queue-total"]');
    expect(await page.textContent('.review-who')).toContain('Reviewing as Tess (admin)');
    // Tess, the first name chosen on loopback, is the admin: she turns on blind mode with two coders per item, and Bob codes the item first.
    setProtocol(fx.db, identifyLocalReviewer(fx.db, 'Tess'), { overlap: 2, overlapShare: 1, blind: true });
    decide(fx.db, identifyLocalReviewer(fx.db, 'Bob'), item, { action: 'edit', label: 'integrationist', stance: 2, themes: ['union-state'], basedOnVersion: 1, note: 'Bob was here' }, new Date());
    await page.reload();
    await page.waitForSelector('[data-testid="queue-total"]:text("1 items")');
    // The queue row shows no suggestion and no decision.
    const row = await page.textContent('.review-queue tbody tr');
    expect(row).not.toContain('analytical');
    expect(row).not.toContain('integrationist');

    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="review-item"][data-item-id="${item}"]`);
    await page.waitForSelector('[data-testid="blind-notice"]');
    await page.waitForSelector('[data-testid="others-hidden"]');
    const before = await page.textContent('[data-testid="review-item"]');
    // Neither Bob, nor his note, nor the model's confidence or provider is anywhere on the page.
    for (const hidden of ['Bob', 'was here', '90%', 'local-baseline']) expect(before, `"${hidden}" shown before deciding`).not.toContain(hidden);
    expect(await page.locator('[data-testid="review-suggestion"]').count()).toBe(0);
    expect(await page.locator('[data-testid="review-status"]').count()).toBe(0);
    expect(await page.locator('[role="radio"][aria-checked="true"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="review-stance"]')).toBe('—');

    await page.keyboard.press('2'); // critical
    await page.keyboard.press('a');
    await page.waitForURL((u) => !u.pathname.includes('/items/'));
    for (let i = 0; i < 100 && fx.db.select().from(reviews).where(eq(reviews.itemId, item)).all().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const rows = fx.db.select().from(reviews).where(eq(reviews.itemId, item)).orderBy(asc(reviews.id)).all();
    expect(rows.map((r) => [r.action, r.label, r.blind, r.suggestionId, (r.shown as { othersDecisionsShown: boolean }).othersDecisionsShown])).toEqual([
      ['edit', 'integrationist', true, null, false],
      ['edit', 'critical', true, null, false],
    ]);

    // Decided: now she sees the suggestion and Bob's decision.
    await page.goto(`${fx.url}/review/items/${item}?order=document`);
    await page.waitForSelector('[data-testid="review-suggestion"]');
    expect(await page.textContent('[data-testid="review-reviews"]')).toContain('Bob: edit → Integrationist');
    expect(await page.textContent('[data-testid="review-mine"]')).toContain('Critical');
  });
});
