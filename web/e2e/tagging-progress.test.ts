import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCorpus } from '../../api/fixtures.ts';
import { startTestServer, type TestServer } from '../../api/providers/testing/server.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const PASSAGES = 24;

describe('the Tagging page following a run in Chromium', () => {
  let model: TestServer;
  let fx: BrowserFixture;
  beforeAll(async () => {
    // A model that takes 150 ms per answer: the run lasts long enough to be watched.
    model = await startTestServer({ latencyMs: 150 });
    fx = await openAppInBrowser({ OPENAI_BASE_URL: model.url, FRAMESCOPE_MODEL: 'test-model' });
    seedCorpus(fx.db, [{ name: 'Outlet', documents: [{ title: 'Long read', passages: Array.from({ length: PASSAGES }, (_, i) => ({ text: `Passage ${i} on the customs union and its members.` })) }] }]);
  });
  afterAll(async () => {
    await fx?.close();
    await model?.close();
  });

  it('shows the progress of a running run as it happens, then its end', async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/tagging`);
    await expect.poll(() => page.getByLabel('Provider').inputValue()).toBe('openai');
    await page.getByLabel('documents').uncheck();
    await page.getByLabel('Concurrency').fill('2');
    await page.getByRole('button', { name: 'Start run' }).click();
    const counts = page.getByTestId('run-counts');
    await counts.waitFor();
    // Every text the counts line shows, recorded in the page as it changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const el = document.querySelector('[data-testid="run-counts"]')!;
      seen.push(el.textContent ?? '');
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { subtree: true, childList: true, characterData: true });
    });
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('completed');
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    const processed = seen.map((t) => Number(/^(\d+) \//.exec(t)?.[1] ?? -1));
    const midway = seen.filter((_, i) => processed[i]! > 0 && processed[i]! < PASSAGES);
    expect(midway.length, `progress shown while running; saw: ${seen.join(' | ')}`).toBeGreaterThanOrEqual(2);
    expect(midway.some((t) => / items\/s · ETA \d+ s$/.test(t)), 'a rate and an ETA while running').toBe(true);
    expect(processed, 'counts only go up').toEqual([...processed].sort((a, b) => a - b));
    expect(await counts.textContent()).toMatch(new RegExp(`^${PASSAGES} / ${PASSAGES} items · ${PASSAGES} suggested · 0 cached · 0 failed · \\$0\\.\\d{4}$`));
    expect(model.requests.length).toBe(PASSAGES);
  });

  it('lists the run on the Jobs page with its progress', async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/jobs`);
    const row = page.locator('table.jobs-table tbody tr').first();
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['#1', 'tagging run 1 run 1', 'completed']);
    expect(cells[3]).toMatch(new RegExp(`^tagging · ${PASSAGES} / ${PASSAGES} items · \\$0\\.\\d{4}$`));
    expect(await row.getByRole('link', { name: 'run 1' }).getAttribute('href')).toBe('/tagging?run=1');
  });
});
