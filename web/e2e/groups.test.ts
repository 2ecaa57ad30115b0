import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSuggestion, seedCorpus } from '../../api/fixtures.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const LABELS = ['integrationist', 'critical', 'analytical'] as const;

/** Six outlets of three documents each; the state-aligned ones lean integrationist. */
function seed(fx: BrowserFixture) {
  const outlets = ['Alpha Daily', 'Beta Wire', 'Gamma Post', 'Delta Review', 'Epsilon News', 'Zeta Herald with a rather long name for the axis'];
  const docs = seedCorpus(
    fx.db,
    outlets.map((name, o) => ({
      name,
      documents: [0, 1, 2].map((d) => ({ title: `${name} story ${d}`, published: `2024-0${d + 1}-1${o}`, passages: [0, 1, 2, 3].map((p) => ({ text: `${name} ${d} passage ${p}.` })) })),
    })),
  );
  docs.forEach((doc, k) => {
    const stateAligned = k < 9;
    doc.passageItemIds.forEach((id, p) => {
      const label = stateAligned ? (p < 3 ? 'integrationist' : 'critical') : LABELS[(p + k) % 3]!;
      addSuggestion(fx.db, id, { label, stance: stateAligned ? 1 : -1 });
    });
  });
}

const SOURCES_CSV = [
  'name,country,alignment',
  'Alpha Daily,RU,state-aligned',
  'Beta Wire,RU,state-aligned',
  'Gamma Post,BY,state-aligned',
  'Delta Review,RU,independent',
  'Epsilon News,LV,independent',
  'Zeta Herald with a rather long name for the axis,LV,independent',
].join('\n');

/** Chart parts that stick out of their card or the window. */
async function overflowing(page: BrowserFixture['page']): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
    for (const card of document.querySelectorAll<HTMLElement>('[data-chart]')) {
      const box = card.getBoundingClientRect();
      for (const el of card.querySelectorAll<SVGGraphicsElement>('svg.recharts-surface .recharts-cartesian-axis-tick-value, svg.recharts-surface .recharts-rectangle, svg.recharts-surface .recharts-legend-item')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${card.dataset.chart}: ${el.textContent || el.getAttribute('class')} at ${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`);
      }
    }
    return out;
  });
}

describe('outlet groups in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
    seed(fx);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('imports a sources CSV on the Corpus page and shows each source with its groups', async () => {
    const page = fx.page;
    await page.goto(`${fx.url}/corpus`);
    await page.getByText('Import sources and their groups from a CSV').click();
    await page.getByLabel('Sources CSV').setInputFiles({ name: 'sources.csv', mimeType: 'text/csv', buffer: Buffer.from(SOURCES_CSV) });
    await page.getByTestId('sources-import-report').waitFor();
    expect(await page.getByTestId('sources-import-report').textContent()).toContain('0 created, 6 updated, 0 rows rejected; groupings: alignment');
    await page.getByTestId('source-groups').filter({ hasText: 'alignment: independent' }).first().waitFor();
    expect(await page.getByTestId('source-groups').allTextContents()).toEqual([
      'alignment: state-aligned',
      'alignment: state-aligned',
      'alignment: independent',
      'alignment: independent',
      'alignment: state-aligned',
      'alignment: independent',
    ]);
  });

  for (const width of [800, 1600]) {
    it(`compares two groups and drills into one group's passages, with every chart inside its card at ${width} px`, async () => {
      const page = fx.page;
      page.setDefaultTimeout(10_000);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${fx.url}/dashboard?basis=model`);
      await page.getByLabel('Rows per').selectOption('alignment');
      await page.getByLabel('First group').selectOption('state-aligned');
      await page.getByLabel('Second group').selectOption('independent');
      await page.getByTestId('group-comparison').waitFor();
      expect(new URL(page.url()).searchParams.get('groupBy')).toBe('alignment');
      const row = page.locator('[data-testid=group-comparison] tr[data-label=integrationist]');
      // State-aligned: 27 of 36 passages integrationist; independent: 12 of 36.
      expect((await row.locator('td').allTextContents()).slice(0, 4)).toEqual(['share Integrationist', '75.0%', '33.3%', '+41.7 pp']);
      expect(await row.locator('td').nth(4).textContent()).toMatch(/^\+\d+\.\d pp to \+\d+\.\d pp$/);
      await page.locator('[data-chart=framing] .recharts-bar-rectangle').first().waitFor();
      const ticks = (await page.locator('[data-chart=framing] .recharts-cartesian-axis-tick-value').allTextContents()).filter((t) => !/^\d+%$/.test(t));
      expect(ticks.map((t) => t.replace(/\s+/g, '').replace(/\(n=\d+\)$/, ''))).toEqual(['independent', 'state-aligned']);
      expect(await overflowing(page)).toEqual([]);

      await row.getByRole('button', { name: '75.0%' }).click();
      await page.getByRole('heading', { name: 'state-aligned: Integrationist' }).waitFor();
      await page.getByTestId('drill-total').filter({ hasText: '27 items' }).waitFor();
      const sources = new Set(await page.locator('.dash-drill-list li a').evaluateAll((as) => as.map((a) => a.textContent!.split(' · ')[0])));
      expect(sources).toEqual(new Set(['Alpha Daily', 'Beta Wire', 'Gamma Post']));
    });
  }
});
