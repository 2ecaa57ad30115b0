import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSuggestions, seedCorpus } from '../../api/fixtures.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

describe('dashboard defaults that follow the data, in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    // 30 outlets; outlet k has k + 1 documents; only the documents (not their passages) are labelled.
    const docs = seedCorpus(
      fx.db,
      Array.from({ length: 30 }, (_, k) => ({
        name: `Outlet ${String(k + 1).padStart(2, '0')}`,
        documents: Array.from({ length: k + 1 }, (_, d) => ({ title: `Story ${d}`, passages: [{ text: `Outlet ${k} story ${d}.` }] })),
      })),
    );
    // In one batch: one by one, 465 suggestions were ~60,000 statements on PostgreSQL, past the hook's 60 s.
    addSuggestions(fx.db, docs.map((doc) => ({ itemId: doc.itemId, label: doc.id % 2 === 0 ? 'critical' : 'analytical', stance: 0 })));
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('opens at the document level when only documents have labels, the 25 largest outlets first and the rest as others', async () => {
    const page = fx.page;
    page.setDefaultTimeout(10_000);
    await page.goto(`${fx.url}/dashboard?basis=model`);
    await page.waitForURL(/level=document/);
    await page.locator('[data-chart=framing] .recharts-bar-rectangle').first().waitFor();
    const ticks = (await page.locator('[data-chart=framing] .recharts-cartesian-axis-tick-value').allTextContents()).filter((t) => !/^\d+%$/.test(t)).map((t) => t.replace(/\s+/g, ' ').replace(/ \(n=\d+\)$/, ''));
    expect(ticks.slice(0, 3)).toEqual(['Outlet 30', 'Outlet 29', 'Outlet 28']);
    expect(ticks).toHaveLength(26);
    expect(ticks[25]).toBe('others (5 sources)');
    expect(await page.locator('[data-chart=framing] .dash-shown').textContent()).toBe('The 25 largest of 30 sources by volume, largest first; the other 5 are summed in "others" (Show: all, or pick sources, to see them one by one).');
    await page.getByLabel('Show the largest').selectOption('all');
    await page.waitForURL(/top=all/);
    await page.locator('[data-chart=framing] .dash-shown', { hasText: '30 sources, largest first.' }).waitFor();
  });
});
