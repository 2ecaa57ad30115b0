import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReview, seedCorpus } from '../../api/fixtures.ts';
import { startTestServer, type TestServer } from '../../api/providers/testing/server.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

/** Two "models" on the scripted server that answer P2, P3 and P5 differently (as in api/evals/comparison.test.ts). */
const PASSAGES = ['P1 the union brings peoples together.', 'P2 the bloc keeps neighbours on a leash.', 'P3 trade grew by a fifth.', 'P4 brotherly ties were praised.', 'P5 critics warn of pressure.', 'P6 analysts weigh the numbers.'];
const ANSWERS: Record<string, string[]> = {
  'model-a': ['integrationist', 'critical', 'analytical', 'integrationist', 'critical', 'analytical'],
  'model-b': ['integrationist', 'integrationist', 'integrationist', 'integrationist', 'analytical', 'analytical'],
};

describe('a model comparison in Chromium', () => {
  let fx: BrowserFixture;
  let model: TestServer;
  let ids: number[];
  beforeAll(async () => {
    model = await startTestServer({
      models: ['model-a', 'model-b'],
      script: (ctx) => {
        const index = PASSAGES.findIndex((p) => ctx.text.includes(p.slice(0, 3)));
        return { kind: 'answer', answer: { label: ANSWERS[ctx.body.model ?? '']?.[index] ?? 'analytical' } };
      },
    });
    fx = await openAppInBrowser({ OPENAI_BASE_URL: model.url, FRAMESCOPE_MODEL: 'model-a' });
    const docs = seedCorpus(fx.db, [
      { name: 'Outlet A', documents: [{ title: 'D1', passages: [{ text: PASSAGES[0]! }, { text: PASSAGES[1]! }] }, { title: 'D2', passages: [{ text: PASSAGES[2]! }, { text: PASSAGES[3]! }] }] },
      { name: 'Outlet B', documents: [{ title: 'D3', passages: [{ text: PASSAGES[4]! }, { text: PASSAGES[5]! }] }] },
    ]);
    ids = docs.flatMap((d) => d.passageItemIds);
    for (const [i, label] of [[0, 'integrationist'], [1, 'critical'], [2, 'analytical'], [4, 'analytical']] as const) addReview(fx.db, ids[i]!, { reviewer: 'ana', action: 'edit', label, stance: 0, blind: true });
  });
  afterAll(async () => {
    await fx?.close();
    await model?.close();
  });

  it('starts a comparison of two models from the Tagging page, shows it on the Evals page, and its disagreement link opens exactly those items in the review queue', { timeout: 90_000 }, async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/tagging`);
    await page.getByLabel('Arm 1 answered by').selectOption('openai');
    await page.getByLabel('Arm 1 model').fill('model-a');
    await page.getByLabel('Arm 2 model').fill('model-b');
    await page.getByLabel('Comparison name').fill('a vs b');
    await page.getByLabel('Comparison sample size').fill('6');
    await page.getByRole('button', { name: 'Start comparison' }).click();
    await expect.poll(() => page.getByTestId('comparison-started').textContent()).toMatch(/^Comparison #1 on 6 items: runs #1, #2\./);
    await page.getByRole('link', { name: 'See it on the Evals page' }).click();

    const arms = page.getByTestId('comparison-arms').locator('tbody tr');
    await expect.poll(() => arms.locator('td:nth-child(4)').allTextContents(), { timeout: 30_000 }).toEqual(['completed', 'completed']);
    // Accuracy 3/4 and 2/4, kappa 7/11 and 3/11 against the people; 1/4 between the models (hand computation in api/evals/comparison.test.ts).
    await expect.poll(() => arms.locator('td:nth-child(6)').allTextContents()).toEqual([expect.stringMatching(/^0\.750 \[/), expect.stringMatching(/^0\.500 \[/)]);
    expect(await arms.locator('td:nth-child(7)').allTextContents()).toEqual([expect.stringMatching(/^0\.636 \[/), expect.stringMatching(/^0\.273 \[/)]);
    expect(await arms.locator('td:nth-child(2)').allTextContents()).toEqual(['model-a (OpenAI-compatible)', 'model-b (OpenAI-compatible)']);
    expect(await page.getByTestId('comparison-pairs').locator('tbody td:nth-child(4)').textContent()).toMatch(/^0\.250 \[/);
    expect(await page.getByTestId('comparison-summary').textContent()).toContain('6 items in the sample, 4 with an independent human decision so far.');
    expect(await page.getByTestId('comparison-disagreements').locator('tbody tr td:first-child').allTextContents()).toEqual([ids[1], ids[2], ids[4]].map(String));
    expect(await page.getByTestId('comparison-list').textContent()).toContain('#1 a vs b');

    await page.getByTestId('review-disagreements').click();
    await page.waitForSelector('input[aria-label="Reviewer name"]:focus');
    await page.keyboard.type('Tess');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="queue-total"]:text("3 items")');
    const queued = () => page.locator('table.review-queue tbody tr td:first-child').allTextContents();
    expect(await queued()).toEqual([ids[1], ids[2], ids[4]].map(String));
    expect(new URL(page.url()).searchParams.get('comparison')).toBe('1');
    expect(await page.getByTestId('queue-comparison').textContent()).toContain('Only the items where the models of comparison #1 disagree.');
    await page.reload();
    await page.waitForSelector('[data-testid="queue-total"]:text("3 items")');
    expect(await queued()).toEqual([ids[1], ids[2], ids[4]].map(String));
    await page.getByRole('button', { name: 'Show every item' }).click();
    await page.waitForSelector('[data-testid="queue-total"]:text("6 items")');
  });
});
