import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCorpus } from '../../api/fixtures.ts';
import { startTestServer, type TestServer } from '../../api/providers/testing/server.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const PASSAGES = 12;

describe('a batch run from the Tagging page in Chromium', () => {
  let model: TestServer;
  let fx: BrowserFixture;
  beforeAll(async () => {
    // Each batch stays in_progress for 20 polls (of 50 ms): long enough to be watched.
    model = await startTestServer({ batches: { script: () => ({ kind: 'slow', polls: 20 }) } });
    fx = await openAppInBrowser({ OPENAI_BASE_URL: model.url, FRAMESCOPE_MODEL: 'test-model', FRAMESCOPE_BATCH_POLL_MS: '50' });
    seedCorpus(fx.db, [{ name: 'Outlet', documents: [{ title: 'Long read', passages: Array.from({ length: PASSAGES }, (_, i) => ({ text: `Passage ${i} on the customs union and its members.` })) }] }]);
  });
  afterAll(async () => {
    await fx?.close();
    await model?.close();
  });

  it('estimates at the batch price, submits one batch, shows it waiting at the provider, then the answers', async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/tagging`);
    await expect.poll(() => page.getByLabel('Provider').inputValue()).toBe('openai');
    await page.getByLabel('documents').uncheck();
    await page.getByRole('button', { name: 'Estimate' }).click();
    const online = await page.getByLabel('Estimate').textContent();
    await page.getByLabel('Batch (half price, within 24 h)').check();
    await page.getByRole('button', { name: 'Estimate' }).click();
    await expect.poll(() => page.getByLabel('Estimate').textContent()).toMatch(/ at the batch price$/);
    const usd = (t: string | null) => Number(/\$(\d+\.\d+)/.exec(t ?? '')?.[1]);
    expect(usd(await page.getByLabel('Estimate').textContent())).toBeCloseTo(usd(online) / 2, 3);

    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(() => page.getByTestId('run-phase').textContent(), { timeout: 30_000 }).toMatch(/^Waiting for the provider's batches/);
    const row = page.getByLabel('Batches').locator('tbody tr').first();
    await expect.poll(() => row.locator('td').nth(4).textContent(), { timeout: 30_000 }).toBe('in_progress');
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('completed');
    expect(await page.getByTestId('run-counts').textContent()).toMatch(new RegExp(`^${PASSAGES} / ${PASSAGES} items · ${PASSAGES} suggested · 0 cached · 0 failed · \\$0\\.\\d{4}$`));
    await expect.poll(() => row.locator('td').allTextContents()).toEqual([model.batches.created[0]!.id, '1', expect.stringMatching(new RegExp(`^${PASSAGES} \\(\\d+\\.\\d MiB\\)$`)), String(PASSAGES), 'completed', 'applied']);
    expect(model.batches.created.length).toBe(1);
  });
});
