import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getActiveCodebook } from '../../api/codebooks/service.ts';
import { seedCorpus } from '../../api/fixtures.ts';
import { codebookOnlyModel } from '../../api/training/store.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

describe('the Tagging page in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    seedCorpus(fx.db, [
      { name: 'Northern Herald', documents: [{ title: 'Union talks', passages: [{ text: 'The union brings our brotherly peoples together.' }, { text: 'Analysts say trade grew by a fifth.' }, { text: 'Subscribe to our newsletter', excluded: true }] }] },
      { name: 'Southern Courier', documents: [{ title: 'Pressure', passages: [{ text: 'Moscow keeps its neighbours on a short leash.' }] }] },
    ]);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('estimates, starts a local-baseline run, shows its live progress to completion and lists it', async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/tagging`);
    await expect.poll(() => page.getByLabel('Provider').inputValue()).toBe('local');
    await page.getByRole('button', { name: 'Estimate' }).click();
    const model = codebookOnlyModel(getActiveCodebook(fx.db)).version;
    await expect.poll(() => page.getByLabel('Estimate').textContent()).toBe(`5 items (3 passages, 2 documents), 0 already answered, 5 requests to local baseline (${model}); estimated cost $0.0000`);
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 20_000 }).toBe('completed');
    expect(await page.getByTestId('run-counts').textContent()).toBe('5 / 5 items · 5 suggested · 0 cached · 0 failed · $0.0000');
    expect(await page.locator('.tagging-progress').textContent()).toContain(`Proposed by local baseline (${model})`);
    const row = page.locator('table.tagging-runs tbody tr').first();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('completed');
    expect(await row.locator('td').nth(2).textContent()).toBe(`local baseline (${model})`);
  });

  it('refuses an empty selection with the reason', async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/tagging`);
    await page.getByLabel('untagged only').check();
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('the selection has no items to tag (nothing imported, everything excluded, or everything already tagged)');
  });
});
