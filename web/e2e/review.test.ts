import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSuggestion, seedCorpus } from '../../api/fixtures.ts';
import { items, reviews, users } from '../../db/schema/index.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

describe('the review queue in Chromium, keyboard only', () => {
  let fx: BrowserFixture;
  let ids: number[];
  beforeAll(async () => {
    fx = await openAppInBrowser();
    const [doc] = seedCorpus(fx.db, [
      {
        name: 'Fictional Gazette',
        documents: [
          {
            title: 'A summit in an invented capital',
            published: '2025-03-04',
            passages: ['First passage about the summit.', 'Second passage about trade.', 'Third passage about borders.', 'Fourth passage about gas.', 'Fifth passage about alliances.'].map((text) => ({ text })),
          },
        ],
      },
    ]);
    ids = doc!.passageItemIds;
    const labels = [
      ['critical', 0.5],
      ['critical', 0.6],
      ['integrationist', 0.55],
      ['analytical', 0.95],
      ['critical', 0.97],
    ] as const;
    labels.forEach(([label, confidence], n) => addSuggestion(fx.db, ids[n]!, { label, stance: 0, confidence, themes: ['sovereignty'] }));
  });
  afterAll(async () => {
    await fx?.close();
  });

  const shown = async () => Number(await fx.page.getAttribute('[data-testid="review-item"]', 'data-item-id'));
  const waitForItem = (id: number) => fx.page.waitForSelector(`[data-testid="review-item"][data-item-id="${id}"]`);
  const waitFor = async <T>(read: () => T, ok: (v: T) => boolean): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const v = read();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    return read();
  };

  it('accepts, edits, rejects, undoes, excludes and bulk-accepts, and the database and stats agree', { timeout: 90_000 }, async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/review?status=unreviewed&order=document`);
    await page.waitForSelector('input[aria-label="Reviewer name"]:focus');
    await page.keyboard.type('Tess');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="queue-total"]:text("5 items")');
    await page.keyboard.press('Enter');
    await waitForItem(ids[0]!);
    expect(await page.textContent('[data-testid="review-text"]')).toBe('First passage about the summit.');

    await page.keyboard.press('?');
    await page.waitForSelector('[role="dialog"][aria-label="Keyboard shortcuts"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { state: 'detached' });

    await page.keyboard.press('a'); // accept the suggestion as shown
    await waitForItem(ids[1]!);
    await page.keyboard.press('3'); // third codebook label
    await page.keyboard.press(']'); // stance 0 → 1
    await page.keyboard.press('a'); // edit and accept
    await waitForItem(ids[2]!);
    await page.keyboard.press('r'); // reject, right answer left open
    await waitForItem(ids[3]!);
    await page.keyboard.press('u'); // undo the reject: back to that item
    await waitForItem(ids[2]!);
    await page.waitForSelector('[data-testid="review-notice"]:text("Undid your last decision on item")');
    await page.keyboard.press('x'); // exclude it: asks why first
    await page.waitForSelector('input[aria-label="Reason for excluding"]:focus');
    await page.keyboard.type('photo caption');
    await page.keyboard.press('Enter');
    await waitForItem(ids[3]!);
    expect(await shown()).toBe(ids[3]);

    await page.keyboard.press('b');
    await page.waitForSelector('[role="dialog"][aria-label="Bulk accept"]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.9');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="bulk-count"]');
    expect(await page.textContent('[data-testid="bulk-count"]')).toBe('2 items would be accepted:');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="review-notice"]:text("Bulk accepted 2 items.")');

    const tess = fx.db.select().from(users).where(eq(users.name, 'Tess')).get()!;
    expect(tess.role).toBe('admin');
    const rows = await waitFor(
      () => fx.db.select().from(reviews).orderBy(asc(reviews.id)).all(),
      (r) => r.length === 7,
    );
    expect(rows.map((r) => [ids.indexOf(r.itemId), r.action, r.kind, r.label, r.stance, r.queueOrder, r.reviewerId])).toEqual([
      [0, 'accept', 'manual', 'critical', 0, 'document', tess.id],
      [1, 'edit', 'manual', 'analytical', 1, 'document', tess.id],
      [2, 'reject', 'manual', null, null, 'document', tess.id],
      [2, 'undo', 'manual', null, null, null, tess.id],
      [2, 'exclude', 'manual', null, null, 'document', tess.id],
      [3, 'accept', 'bulk', 'analytical', 0, 'document', tess.id],
      [4, 'accept', 'bulk', 'critical', 0, 'document', tess.id],
    ]);
    expect(rows[3]!.undoesReviewId).toBe(rows[2]!.id);
    expect(rows[4]!.note).toBe('photo caption');
    const states = fx.db.select().from(items).where(eq(items.level, 'passage')).orderBy(asc(items.seq)).all();
    expect(states.map((i) => [i.reviewStatus, i.reviewedLabel, i.excluded])).toEqual([
      ['reviewed', 'critical', false],
      ['reviewed', 'analytical', false],
      ['unreviewed', null, true],
      ['reviewed', 'analytical', false],
      ['reviewed', 'critical', false],
    ]);
    const stats = (await (await fetch(`${fx.url}/api/stats`)).json()) as Record<string, number>;
    expect(stats).toMatchObject({ passages: 5, excludedPassages: 1, reviews: 7, reviewedItems: 4 });
  });
});
