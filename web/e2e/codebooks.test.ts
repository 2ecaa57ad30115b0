import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codebooks } from '../../db/schema/index.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const TEAM = {
  name: 'media-bias',
  version: '2',
  labels: [
    { id: 'left', name: 'Left', definition: 'Leans left.' },
    { id: 'center', name: 'Center', definition: 'Balanced.' },
    { id: 'right', name: 'Right', definition: 'Leans right.' },
  ],
  stance: { target: 'the government', min: -1, max: 1 },
  themes: [{ id: 'economy', name: 'Economy' }],
};
const file = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });

describe('codebooks in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
  });
  afterAll(async () => {
    await fx?.close();
  });
  const active = () => fx.db.select({ name: codebooks.name }).from(codebooks).where(eq(codebooks.active, true)).all().map((c) => c.name);

  it('asks on the empty database which codebook to start with, and starts with an uploaded one', async () => {
    await fx.page.goto(`${fx.url}/corpus`);
    const choice = fx.page.getByLabel('Codebook to start with');
    await choice.getByText('post-soviet-integration 1').waitFor();
    await fx.page.getByLabel('Start with my own codebook (JSON)').setInputFiles(file('team.json', TEAM));
    await choice.getByText('Stored media-bias 2, now active.').waitFor();
    await choice.getByText('Labels will follow media-bias 2 (Left, Center, Right)', { exact: false }).waitFor();
    expect(active()).toEqual(['media-bias']);
  });

  it('lists the stored codebooks, shows one in full and activates another', async () => {
    await fx.page.getByRole('link', { name: 'Codebooks' }).first().click();
    await fx.page.waitForURL(/\/codebooks$/);
    const rows = fx.page.locator('section[aria-label="Stored codebooks"] tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.locator('td:nth-child(5)').allTextContents()).toEqual(['stored', 'active']);
    await fx.page.getByRole('heading', { name: 'media-bias 2 active' }).waitFor();
    expect(await fx.page.locator('.codebook-labels dd').allTextContents()).toEqual(['Leans left.', 'Balanced.', 'Leans right.']);
    await fx.page.getByRole('button', { name: 'Activate post-soviet-integration 1' }).click();
    await fx.page.getByRole('heading', { name: 'post-soviet-integration 1 active' }).waitFor();
    expect(await rows.locator('td:nth-child(5)').allTextContents()).toEqual(['active', 'stored']);
    expect(active()).toEqual(['post-soviet-integration']);
  });

  it('names the problem of an invalid codebook file and stores nothing', async () => {
    await fx.page.getByLabel('Add a codebook (JSON)').setInputFiles(file('bad.json', { ...TEAM, version: '3', labels: [TEAM.labels[0]] }));
    const error = fx.page.locator('.codebook-upload .error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^codebook: labels/);
    await fx.page.getByLabel('Add a codebook (JSON)').setInputFiles(file('broken.json', '{ not json'));
    await fx.page.locator('.codebook-upload .error', { hasText: 'not valid JSON' }).waitFor();
    expect(fx.db.select({ id: codebooks.id }).from(codebooks).all()).toHaveLength(2);
  });
});
