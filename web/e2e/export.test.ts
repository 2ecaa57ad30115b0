import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonl, seedLabelled } from '../../api/export/testing.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

describe('the Export page in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    seedLabelled(fx.db);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('previews the matching rows, says why an export is empty, and downloads the chosen file', async () => {
    const { page } = fx;
    page.setDefaultTimeout(10_000); // 10 s: a missing element fails with its locator, not the test timeout
    await page.goto(`${fx.url}/export`);
    const rows = page.getByTestId('export-rows');
    await expect.poll(() => rows.textContent(), { timeout: 5_000 }).toBe('4');

    await page.getByLabel('Level', { exact: true }).selectOption('document');
    await page.getByLabel('Status', { exact: true }).selectOption('reviewed');
    await expect.poll(() => rows.textContent(), { timeout: 5_000 }).toBe('1');

    await page.getByRole('group', { name: /Final labels/ }).getByLabel('Analytical').check();
    await expect.poll(() => rows.textContent(), { timeout: 5_000 }).toBe('0');
    await expect.poll(() => page.locator('.export-preview .warning').textContent(), { timeout: 5_000 }).toBe('The file will have no rows: no document matches the filters.');
    await page.getByRole('group', { name: /Final labels/ }).getByLabel('Analytical').uncheck();

    await page.getByLabel('Format', { exact: true }).selectOption('jsonl');
    await expect.poll(() => rows.textContent(), { timeout: 5_000 }).toBe('1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('framescope-document-reviewed.jsonl');
    // The download is whole: its end marker is there and counts the one row.
    expect(readJsonl(readFileSync((await download.path())!))).toMatchObject([{ final_label: 'critical', final_origin: 'reviewer', decided_by: 'ann' }]);
  });
});
