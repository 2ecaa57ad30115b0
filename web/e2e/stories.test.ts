import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSuggestion, seedCorpus } from '../../api/fixtures.ts';
import { setGroups } from '../../api/sources/groups.ts';
import { EVENT_REPORTS, reportIds, storyCorpus } from '../../api/stories/testing.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

/** Each report's document-level label and stance (the model's). */
const LABELS = {
  strikeNorth: ['critical', -1],
  strikeDaily: ['critical', -2],
  floodDaily: ['analytical', 0],
  rateNorth: ['integrationist', 2],
  rateDaily: ['integrationist', 1],
  budgetNorth: ['integrationist', 2],
  strikeCourier: ['critical', -1],
  floodCourier: ['critical', -1],
  strikeLater: ['analytical', 0],
} as const;

/** The hand-written event reports; Northern Herald and Daily Ledger state-aligned, Coastal Courier independent; every article and passage suggested. */
function seed(fx: BrowserFixture) {
  const seeded = seedCorpus(fx.db, storyCorpus());
  const ids = reportIds(seeded);
  for (const [key, [label, stance]] of Object.entries(LABELS)) {
    const doc = seeded.find((d) => d.id === ids[key as keyof typeof ids])!;
    const first = EVENT_REPORTS[key as keyof typeof EVENT_REPORTS].passages[0]!;
    const quote = first.slice(0, first.indexOf(',') > 0 ? first.indexOf(',') : 60);
    addSuggestion(fx.db, doc.itemId, { label, stance, evidence: [{ quote, verified: true, start: 0, end: quote.length }] });
    doc.passageItemIds.forEach((item) => addSuggestion(fx.db, item, { label, stance }));
  }
  fx.db.transaction((tx) => {
    for (const d of seeded) setGroups(tx, d.sourceId, { alignment: d.sourceId === seeded[6]!.sourceId ? 'independent' : 'state' });
  });
}

describe('stories in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    seed(fx);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('groups the documents into stories from the Stories page, with the job’s progress', async () => {
    const page = fx.page;
    page.setDefaultTimeout(15_000);
    await page.goto(`${fx.url}/stories`);
    await page.getByRole('button', { name: 'Group stories' }).click();
    await page.getByTestId('story-job').filter({ hasText: 'completed' }).waitFor();
    await page.getByTestId('stories-total').filter({ hasText: '3 stories' }).waitFor();
    expect(await page.getByTestId('story-job-result').textContent()).toBe('3 stories (3 new, 0 kept, 0 dropped) from 9 documents; 0 articles added to 0 edited stories');
    expect(await page.locator('[data-testid=stories-list] tbody tr td:first-child').allTextContents()).toEqual([
      'Kessin river bursts its banks, hundreds evacuated from Lunden',
      'Drelland central bank raises its main rate to 4.5 percent',
      'Dockworkers walk out at Valmora port over night-shift pay',
    ]);
  });

  it('compares two groups over the stories both covered, opens a story one covered alone, shows each outlet’s framing side by side and lists its passages', async () => {
    const page = fx.page;
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${fx.url}/dashboard?basis=model&level=document`);
    await page.getByLabel('Rows per').selectOption('alignment');
    await page.getByLabel('First group').selectOption('state');
    await page.getByLabel('Second group').selectOption('independent');
    const card = page.getByTestId('story-comparison');
    await card.waitFor();
    // Over the strike and the flood: state 2 of 3 critical, independent 2 of 2; over everything 2 of 6 and 2 of 3.
    const critical = card.locator('tr[data-label=critical] td');
    expect((await critical.allTextContents()).map((t) => t.replace(/[+-]?\d+\.\d pp to [+-]?\d+\.\d pp|too few documents/, ''))).toEqual(['share Critical', '66.7%', '100.0%', '-33.3 pp', '33.3%', '66.7%', '-33.3 pp']);
    await card.getByText('Only state covered (1)').waitFor();
    await card.getByText('Only independent covered (0)').waitFor();

    await card.getByRole('link', { name: 'Drelland central bank raises its main rate to 4.5 percent' }).click();
    await page.getByTestId('story-title').filter({ hasText: 'Drelland central bank raises its main rate to 4.5 percent' }).waitFor();
    expect(await page.getByTestId('story-meta').textContent()).toContain('2 articles from 2 outlets · 2025-03-06');
    await page.getByTestId('story-timeline').locator('.recharts-symbols').first().waitFor();
    expect(await page.locator('[data-testid=story-coverage] tr[data-grouping=alignment] td').allTextContents()).toEqual(['alignment', 'state', '2', '2']);
    const rows = page.locator('[data-testid=story-framing] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.source))).toEqual(['Daily Ledger', 'Northern Herald']);
    const cells = async (source: string) => {
      const row = page.locator(`[data-testid=story-framing] tr[data-source="${source}"]`);
      return Promise.all(['model', 'people', 'final'].map(async (b) => (await row.locator(`td[data-basis=${b}]`).textContent())!.trim()));
    };
    expect(await cells('Northern Herald')).toEqual(['integrationist · stance +2 (confidence 0.80)', '–', 'integrationist · stance +2 (model)passages: integrationist 2']);
    expect(await cells('Daily Ledger')).toEqual(['integrationist · stance +1 (confidence 0.80)', '–', 'integrationist · stance +1 (model)passages: integrationist 2']);
    expect(await page.locator('[data-testid=story-framing] tr[data-source="Northern Herald"] .story-quotes li').allTextContents()).toEqual(['The central bank of Drelland raised its main interest rate by half a point to 4.5 percent on Thursday (integrationist)']);

    await page.locator('[data-testid=story-framing] tr[data-source="Northern Herald"]').getByRole('button', { name: 'Passages' }).click();
    await page.getByTestId('drill-total').filter({ hasText: '2 items' }).waitFor();
    const first = page.locator('.dash-drill-list li a').first();
    expect(await first.textContent()).toBe('Northern Herald · Drelland central bank raises its main rate to 4.5 percent · passage 1');
    await first.click();
    await page.waitForURL(/\/review\/items\/\d+/);
    await page.getByLabel('Reviewer name').fill('Ana');
    await page.getByRole('button', { name: 'Start reviewing' }).click();
    await page.getByText('The central bank of Drelland raised its main interest rate by half a point').first().waitFor();
  });

  it('renames a story on its page (as the named reviewer) and says the edit is kept', async () => {
    const page = fx.page;
    page.setDefaultTimeout(15_000);
    await page.goto(`${fx.url}/stories`);
    await page.getByRole('link', { name: 'Dockworkers walk out at Valmora port over night-shift pay' }).click();
    await page.getByLabel('New title').fill('Valmora dock strike');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByTestId('story-title').filter({ hasText: 'Valmora dock strike' }).waitFor();
    expect(await page.getByTestId('story-meta').textContent()).toContain('kept as it is by re-grouping');
    expect(await page.locator('[data-testid=story-framing] tbody tr').count()).toBe(3);
  });
});
