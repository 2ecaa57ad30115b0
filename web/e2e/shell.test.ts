import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

describe('the web shell in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('lands on the corpus page with the main navigation', async () => {
    await fx.page.goto(fx.url);
    await fx.page.waitForURL(/\/corpus$/);
    const nav = await fx.page.locator('nav[aria-label="Main"] a').allTextContents();
    expect(nav).toEqual(['Corpus', 'Tagging', 'Review', 'Dashboard', 'Stories', 'Export', 'Evals', 'Codebooks', 'Jobs', 'Settings']);
  });
});
