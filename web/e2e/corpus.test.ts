import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents, passages } from '../../db/schema/index.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const ARTICLE = [
  'Harbour Treaty Signed',
  '',
  'The two governments signed the harbour treaty on Monday, ending a decade of talks.',
  '',
  'Critics said the <b>deal</b> favours the larger partner.',
  '',
  'Copyright © 2025 Test Gazette. All rights reserved.',
].join('\n');

describe('the corpus pages in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('offers the demo corpus on an empty database', async () => {
    await fx.page.goto(`${fx.url}/corpus`);
    await fx.page.getByRole('button', { name: 'Load demo corpus' }).waitFor();
    expect(await fx.page.getByRole('heading', { name: 'No documents yet' }).count()).toBe(1);
  });

  it('uploads a file through the upload UI and shows its passages on the document page', async () => {
    await fx.page.getByLabel('Choose files').setInputFiles({ name: 'harbour.txt', mimeType: 'text/plain', buffer: Buffer.from(ARTICLE) });
    const resultRow = fx.page.locator('.corpus-results tr', { hasText: 'harbour.txt' });
    await resultRow.waitFor();
    expect((await resultRow.locator('td').allTextContents()).slice(0, 5)).toEqual(['harbour.txt', 'imported', '1', '0', '4']);

    await fx.page.getByRole('link', { name: 'Harbour Treaty Signed' }).click();
    await fx.page.waitForURL(/\/documents\/\d+$/);
    const items = fx.page.locator('ol.passages > li');
    await items.first().waitFor();
    expect(await items.locator('.passage-text').allTextContents()).toEqual([
      'Harbour Treaty Signed',
      'The two governments signed the harbour treaty on Monday, ending a decade of talks.',
      'Critics said the <b>deal</b> favours the larger partner.',
      'Copyright © 2025 Test Gazette. All rights reserved.',
    ]);
    expect(await fx.page.locator('ol.passages b').count(), 'markup in a document is shown as text').toBe(0);
    expect(await fx.page.locator('li.passage.excluded .passage-excluded').allTextContents()).toEqual(['excluded: copyright']);

    const doc = fx.db.select().from(documents).where(eq(documents.title, 'Harbour Treaty Signed')).get()!;
    expect(doc.text).toBe(ARTICLE);
    const rows = fx.db.select().from(passages).where(eq(passages.documentId, doc.id)).orderBy(asc(passages.seq)).all();
    expect(rows.map((p) => [doc.text.slice(p.start, p.end) === p.text, p.excluded])).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [true, true],
    ]);
    const href = await items.first().locator('.passage-head a').getAttribute('href');
    expect(href).toMatch(/^\/review\/items\/\d+$/);
  });

  it('hides the demo offer once documents exist and searches the documents list', async () => {
    await fx.page.goto(`${fx.url}/corpus`);
    await fx.page.getByRole('heading', { name: 'Sources' }).waitFor();
    expect(await fx.page.getByRole('button', { name: 'Load demo corpus' }).count(), 'no demo offer once the corpus has documents').toBe(0);
    await fx.page.getByLabel('Search documents').fill('pipeline');
    await fx.page.getByRole('button', { name: 'Search' }).click();
    await fx.page.getByText('Documents (0)').waitFor();
  });
});
