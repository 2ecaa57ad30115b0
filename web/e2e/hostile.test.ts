import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCorpus } from '../../api/fixtures.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const RLO = '\u202e';

describe('hostile metadata in Chromium', () => {
  let fx: BrowserFixture;
  let itemId: number;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    const [doc] = seedCorpus(fx.db, [{ name: `Wire${'\u200b'}Service`, documents: [{ title: `Report ${RLO}desrever`, passages: [{ text: 'A passage about the union.' }] }] }]);
    itemId = doc!.passageItemIds[0]!;
    // Stored before URLs were checked: such a row must still never become a link.
    fx.db.$client.prepare(`UPDATE sources SET url = 'javascript:alert(document.domain)'`).run();
    fx.db.$client.prepare(`UPDATE documents SET url = 'data:text/html,<script>alert(1)</script>'`).run();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('renders javascript: and data: URLs as text, never as links', async () => {
    await fx.page.goto(`${fx.url}/corpus`);
    await fx.page.getByText('javascript:alert(document.domain)').waitFor();
    expect(await fx.page.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);
    await fx.page.goto(`${fx.url}/documents/1`);
    await fx.page.getByText('data:text/html,<script>alert(1)</script>').waitFor();
    expect(await fx.page.locator('a[href^="javascript:"], a[href^="data:"]').count()).toBe(0);
  });

  it('keeps a right-to-left override inside the title from reordering the interface text after it, and flags a name hiding characters', async () => {
    await fx.page.goto(`${fx.url}/review`);
    await fx.page.getByLabel('Reviewer name').fill('Ann');
    await fx.page.getByRole('button', { name: 'Start reviewing' }).click();
    const cell = fx.page.locator('tr', { has: fx.page.locator(`a[href^="/review/items/${itemId}"]`) }).locator('td').nth(1);
    await cell.waitFor();
    // Where the title's first word and the passage marker after it are drawn: isolated, "§1" stays to the right of "Report".
    const boxes = await cell.evaluate((td) => {
      const place = (needle: string) => {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const at = n.textContent!.indexOf(needle);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + needle.length);
          const box = range.getBoundingClientRect();
          return { left: box.left, right: box.right };
        }
        return null;
      };
      return { reversed: place('desrever'), marker: place('§1'), source: place('Wire') };
    });
    // Unisolated, the override would carry on past the title and draw "§1" inside it, before the reversed word.
    expect(boxes.marker!.left).toBeGreaterThanOrEqual(boxes.reversed!.right - 0.5);
    expect(boxes.reversed!.left).toBeGreaterThan(boxes.source!.right);
    expect(await cell.locator('bdi').count()).toBe(2);
    expect(await cell.locator('.hidden-chars').evaluateAll((els) => els.map((e) => e.getAttribute('title')))).toEqual([
      'contains invisible or direction-changing characters: U+200B',
      'contains invisible or direction-changing characters: U+202E',
    ]);
  });
});
