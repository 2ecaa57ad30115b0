import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../../db/schema/index.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const CSV = [
  'article_id,headline,story,outlet,date,section',
  'N-1,Harbour reopens,The harbour reopened on Monday after a week of strikes.,Coast Post,7/23/2024,Business',
  'N-2,Empty one,,Coast Post,7/24/2024,Business',
  'N-3,Grain prices,Grain prices fell for a third week in a row.,Coast Post,sometime in July,Markets',
].join('\n');

describe('importing a row file from the Corpus page in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('previews the columns and first rows, lets the mapping be changed, and reports the rejected rows after import', async () => {
    await fx.page.goto(`${fx.url}/corpus`);
    await fx.page.getByLabel('Choose files').setInputFiles({ name: 'news.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const preview = fx.page.getByLabel('Column mapping');
    await preview.waitFor();
    expect(await preview.locator('thead th').allTextContents()).toEqual(['article_id id', 'headline title', 'story metadata', 'outlet source', 'date published', 'section metadata']);
    expect(await preview.locator('tbody tr').count()).toBe(3);
    expect(await preview.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['N-1', 'Harbour reopens', 'The harbour reopened on Monday after a week of strikes.', 'Coast Post', '7/23/2024', 'Business']);
    await preview.getByText('Choose the column that holds the text.').waitFor();
    expect(await fx.page.getByRole('button', { name: 'Import with this mapping' }).isDisabled()).toBe(true);

    await fx.page.getByLabel('Column for Text').selectOption('story');
    expect(await preview.getByLabel('Kept as metadata').textContent()).toBe('Kept as document metadata: section');
    await fx.page.getByRole('button', { name: 'Import with this mapping' }).click();

    const row = fx.page.locator('.corpus-results tr', { hasText: 'news.csv' });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual(['news.csv', 'imported', '2']);
    const rejects = fx.page.getByLabel('Row problems in news.csv');
    expect(await rejects.locator('.corpus-rejects tbody td').allTextContents()).toEqual(['3', 'story', 'no text']);
    expect(await rejects.locator('.corpus-warnings li').allTextContents()).toEqual(['line 4: published "sometime in July" is not a date the import can read; kept as written (published_raw), date left empty']);

    const docs = fx.db.select({ externalId: documents.externalId, title: documents.title, published: documents.published, metadata: documents.metadata }).from(documents).orderBy(asc(documents.id)).all();
    expect(docs).toEqual([
      { externalId: 'N-1', title: 'Harbour reopens', published: '2024-07-23', metadata: { section: 'Business' } },
      { externalId: 'N-3', title: 'Grain prices', published: null, metadata: { section: 'Markets' } },
    ]);
  });
});
