import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCodebook } from '../../api/codebooks/service.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

// The committed local-baseline result in evals/results is what the page shows.
const NAME = 'local-baseline-shared-corpus-v1';
const stored = JSON.parse(readFileSync(join('evals', 'results', `${NAME}.json`), 'utf8')) as {
  label: { n: number; confusion: { labels: string[]; matrix: number[][] }; macroF1: { estimate: number; low: number; high: number } };
};

describe('the Evals page in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('lists stored results and opens one with its protocol, confusion matrix and calibration chart', async () => {
    await fx.page.goto(`${fx.url}/evals`);
    const row = fx.page.locator('[data-testid="eval-list"] tr', { hasText: NAME });
    const m = stored.label.macroF1;
    await expect.poll(() => row.textContent()).toContain(`${m.estimate.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]`);
    await row.getByRole('link', { name: NAME }).click();
    await fx.page.waitForURL(new RegExp(`/evals\\?name=${NAME}$`));

    const protocol = await fx.page.getByTestId('eval-protocol').textContent();
    expect(protocol).toContain('5-fold cross-validation grouped by outlet');
    const matrix = fx.page.getByRole('table', { name: 'Confusion matrix' });
    const cells = await matrix.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, -1).map((td) => Number(td.textContent))));
    expect(cells).toEqual(stored.label.confusion.matrix);
    expect(await matrix.locator('thead th').allTextContents()).toEqual(['gold \\ predicted', ...stored.label.confusion.labels, 'no answer']);
    // recharts draws the reliability diagram as SVG: one bar per non-empty confidence bin.
    const chart = fx.page.getByRole('figure', { name: 'Calibration chart' });
    await expect.poll(() => chart.locator('svg .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await chart.locator('figcaption').textContent()).toContain(`over ${stored.label.n} answers with a confidence`);
  });

  it("shows the active codebook's results and says which codebook; another codebook's results on request", async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/evals`);
    await expect.poll(() => page.getByTestId('eval-codebook-note').textContent()).toMatch(/^Results for the active codebook, post-soviet-integration v1 \([0-9a-f]{12}\): 1 of 1\./);
    const def = JSON.parse(readFileSync(join('prompts', 'codebooks', 'post-soviet-integration.v1.json'), 'utf8')) as { version: string };
    saveCodebook(fx.db, { ...def, version: '2' } as Parameters<typeof saveCodebook>[1], { activate: true });
    await page.reload();
    await expect.poll(() => page.getByTestId('eval-codebook-note').textContent()).toMatch(/^Results for the active codebook, post-soviet-integration v2 \([0-9a-f]{12}\): 0 of 1\./);
    expect(await page.getByText('No results for the active codebook yet.').count()).toBe(1);
    await page.getByLabel("show every codebook's results").click();
    await expect.poll(() => page.locator('[data-testid="eval-list"] tbody tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('codebooks')).toBe('all');
  });

  it('says so when a result does not exist', async () => {
    await fx.page.goto(`${fx.url}/evals?name=no-such-result`);
    await expect.poll(() => fx.page.locator('p.error').textContent()).toBe('eval result no-such-result not found');
  });
});
