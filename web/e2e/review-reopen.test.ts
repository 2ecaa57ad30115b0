import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSuggestion, seedCorpus } from '../../api/fixtures.ts';
import { reviews } from '../../db/schema/index.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const PASSAGES = [
  'The summit in the invented capital opened with speeches.',
  'Delegates argued over a customs union for the region.',
  'Critics called the union a cover for one capital’s control.',
  'Support our newsroom: donate today.',
  'Trade figures were published the next morning.',
  ...Array.from({ length: 20 }, (_, k) => `Later paragraph ${k + 1} about grain, tariffs and the border crossings that stayed open through the winter.`),
];

describe('a reviewed item reopened in Chromium', () => {
  let fx: BrowserFixture;
  let ids: number[];
  let documentItem: number;
  let documentId: number;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    const [doc] = seedCorpus(fx.db, [
      {
        name: 'Fictional Gazette',
        documents: [{ title: 'A summit in an invented capital', published: '2025-03-04', passages: PASSAGES.map((text, k) => (k === 3 ? { text, excluded: true, reason: 'donation' } : { text })) }],
      },
    ]);
    ids = doc!.passageItemIds;
    documentItem = doc!.itemId;
    documentId = doc!.id;
    for (const id of ids) addSuggestion(fx.db, id, { label: 'analytical', stance: 0, confidence: 0.9, themes: [] });
    addSuggestion(fx.db, documentItem, { label: 'analytical', stance: 0, confidence: 0.9, themes: [] });
    await fx.page.setViewportSize({ width: 1280, height: 800 });
    await fx.page.goto(`${fx.url}/review`);
    await fx.page.waitForSelector('input[aria-label="Reviewer name"]:focus');
    await fx.page.keyboard.type('Tess');
    await fx.page.keyboard.press('Enter');
    await fx.page.waitForSelector('[data-testid="queue-total"]');
  });
  afterAll(async () => {
    await fx?.close();
  });

  const itemOnScreen = (id: number) => fx.page.waitForSelector(`[data-testid="review-item"][data-item-id="${id}"]`);
  const selectedLabel = () => fx.page.textContent('[role="radio"][aria-checked="true"]');
  const standing = (itemId: number) =>
    fx.db
      .select({ action: reviews.action, label: reviews.label, stance: reviews.stance, themes: reviews.themes })
      .from(reviews)
      .where(eq(reviews.itemId, itemId))
      .orderBy(asc(reviews.id))
      .all();
  const waitForReviews = async (itemId: number, n: number) => {
    for (let i = 0; i < 200 && standing(itemId).length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return standing(itemId);
  };
  /** Checks the panel shows the coder's own decision (critical, +2, Sovereignty), not the suggestion (analytical, 0). */
  const showsOwnDecision = async () => {
    expect(await selectedLabel()).toBe('2 Critical');
    expect(await fx.page.textContent('[data-testid="review-stance"]')).toBe('2');
    expect(await fx.page.isChecked('.review-themes label:has-text("Sovereignty") input')).toBe(true);
    expect(await fx.page.textContent('[data-testid="review-accept"]')).toBe('a Keep my decision');
  };

  it('shows the reviewer’s own decision via Back, the reviewed queue and the document page, and Enter on it records nothing', { timeout: 120_000 }, async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/review?status=unreviewed&order=document`);
    await page.waitForSelector('[data-testid="queue-total"]:text("24 items")');
    await page.keyboard.press('Enter');
    await itemOnScreen(ids[0]!);
    // critical, stance +2, the Sovereignty theme: an edit of the suggestion.
    await page.keyboard.press('2');
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await page.keyboard.press('t');
    await page.keyboard.press(' ');
    await page.keyboard.press('t');
    await page.keyboard.press('a');
    await itemOnScreen(ids[1]!);
    expect(await waitForReviews(ids[0]!, 1)).toEqual([{ action: 'edit', label: 'critical', stance: 2, themes: ['sovereignty'] }]);

    await page.goBack();
    await itemOnScreen(ids[0]!);
    await page.waitForSelector('[data-testid="review-mine"]');
    await showsOwnDecision();
    await page.keyboard.press('Enter');
    await itemOnScreen(ids[1]!);

    await page.goto(`${fx.url}/review?status=reviewed&order=document`);
    await page.waitForSelector(`.review-queue a:text("${ids[0]}")`);
    await page.click(`.review-queue a:text("${ids[0]}")`);
    await itemOnScreen(ids[0]!);
    await showsOwnDecision();
    await page.keyboard.press('a');
    await page.waitForURL((u) => !u.pathname.endsWith(`/items/${ids[0]}`));

    await page.goto(`${fx.url}/documents/${documentId}`);
    await page.click(`a[href="/review/items/${ids[0]}"]`);
    await itemOnScreen(ids[0]!);
    await showsOwnDecision();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.pathname.endsWith(`/items/${ids[0]}`));

    // Three confirmations later, the standing decision is the one edit, and nothing else was recorded.
    await new Promise((r) => setTimeout(r, 500));
    expect(standing(ids[0]!)).toEqual([{ action: 'edit', label: 'critical', stance: 2, themes: ['sovereignty'] }]);
  });

  it('at 1280x800 shows the key hints, the Accept row above the fold, the document at the passage with boilerplate marked, and keeps a draft across a reload', { timeout: 120_000 }, async () => {
    const { page } = fx;
    const item = ids[20]!;
    await page.goto(`${fx.url}/review/items/${item}?order=document`);
    await itemOnScreen(item);
    // The selected label's key hint: dark on light, not white on near-white.
    const hint = await page.$eval('[role="radio"][aria-checked="true"] kbd', (k) => {
      const s = getComputedStyle(k);
      return { color: s.color, background: s.backgroundColor };
    });
    expect(hint.color).not.toBe('rgb(255, 255, 255)');
    expect(hint.background).toBe('rgb(255, 255, 255)');
    const accept = (await page.locator('[data-testid="review-accept"]').boundingBox())!;
    expect(accept.y + accept.height).toBeLessThanOrEqual(800);

    await page.keyboard.press('d');
    await page.waitForSelector('[data-testid="review-document-current"]');
    const inView = await page.$eval('[data-testid="review-document-current"]', (el) => {
      const box = el.getBoundingClientRect();
      const frame = el.closest('[data-testid="review-document"]')!.getBoundingClientRect();
      return { top: box.top >= frame.top - 1, bottom: box.bottom <= frame.bottom + 1, scrolled: el.closest('[data-testid="review-document"]')!.scrollTop > 0 };
    });
    expect(inView).toEqual({ top: true, bottom: true, scrolled: true });
    expect(await page.textContent('[data-testid="review-document-current"]')).toBe(PASSAGES[20]);

    // A half-finished edit (integrationist, stance -1) survives a reload until the item is decided.
    await page.keyboard.press('1');
    await page.keyboard.press('[');
    await page.reload();
    await itemOnScreen(item);
    await page.waitForSelector('[data-testid="draft-restored"]');
    expect(await selectedLabel()).toBe('1 Integrationist');
    expect(await page.textContent('[data-testid="review-stance"]')).toBe('-1');
    await page.keyboard.press('a');
    expect(await waitForReviews(item, 1)).toEqual([{ action: 'edit', label: 'integrationist', stance: -1, themes: [] }]);
    await page.goto(`${fx.url}/review/items/${item}?order=document`);
    await page.waitForSelector('[data-testid="review-mine"]');
    expect(await page.locator('[data-testid="draft-restored"]').count()).toBe(0);

    // The whole-document item marks the donation appeal as boilerplate.
    await page.goto(`${fx.url}/review/items/${documentItem}?level=document&order=document`);
    await itemOnScreen(documentItem);
    expect(await page.locator('[data-testid="review-boilerplate"]').allTextContents()).toEqual([`excluded: donation ${PASSAGES[3]}`]);
  });
});
