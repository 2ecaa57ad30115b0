import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countWhereText } from '../../db/sqlDialect.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');

/** Runs the project's CLI on the test's database file, as a user would. */
function cli(dbPath: string, ...args: string[]): void {
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'api', 'cli.ts'), ...args, '--db', dbPath, '--json'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Minimal CSV reader for the dashboard's own downloads (quoted cells, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

/** Recharts wraps long tick labels into several lines: compare names without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');

/** The framing chart's source names, top to bottom, without the small-sample count. */
async function sourceTicks(page: BrowserFixture['page']): Promise<string[]> {
  const ticks = await page.locator('[data-chart=framing] .recharts-cartesian-axis-tick-value').allTextContents();
  return ticks.filter((t) => !/^\d+%$/.test(t)).map((t) => squash(t.replace(/ \(n=\d+\)$/, '')));
}

describe('the dashboard in Chromium', () => {
  let fx: BrowserFixture;
  beforeAll(async () => {
    fx = await openAppInBrowser();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('says what to do on an empty database', async () => {
    await fx.page.goto(`${fx.url}/dashboard`);
    await fx.page.getByRole('heading', { name: 'Nothing to compare yet' }).waitFor();
    expect(await fx.page.locator('.dash-empty').textContent()).toContain('Import documents');
  });

  it('shows the shared corpus after local tagging and lists the passages behind a theme cell and a bar', async () => {
    cli(fx.dbPath, 'import', CORPUS);
    cli(fx.dbPath, 'tag', '--provider', 'local', '--level', 'both');
    const page = fx.page;
    await page.goto(`${fx.url}/dashboard?basis=model`);
    await page.locator('[data-chart=framing] .recharts-bar-rectangle').first().waitFor();

    // Largest first: passages in scope per source.
    const sources = fx.db.$client
      .prepare("SELECT s.id, s.name FROM sources s ORDER BY (SELECT count(*) FROM items i WHERE i.source_id = s.id AND i.level = 'passage' AND i.excluded = FALSE) DESC, s.name")
      .all() as { id: number; name: string }[];
    expect(sources).toHaveLength(5);
    expect(await sourceTicks(page)).toEqual(sources.map((s) => squash(s.name)));

    // Stance: one dot and one whisker per source.
    await page.locator('[data-chart=stance] .recharts-errorBar').first().waitFor();
    expect(await page.locator('[data-chart=stance] .recharts-scatter-symbol').count()).toBe(5);
    expect(await page.locator('[data-chart=stance] .recharts-errorBar').count()).toBe(5);

    // Themes: the heatmap has a row per source; click the busiest cell.
    const cell = fx.db.$client
      .prepare(
        `SELECT i.source_id AS "sourceId", t.theme AS theme, count(*) AS n FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested'
         WHERE i.level = 'passage' AND i.excluded = FALSE AND i.suggested_label IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 1`,
      )
      .get() as { sourceId: number; theme: string; n: number };
    const row = sources.findIndex((s) => s.id === cell.sourceId);
    const codebook = JSON.parse((fx.db.$client.prepare('SELECT definition FROM codebooks WHERE active = TRUE').get() as { definition: string }).definition) as {
      themes: { id: string }[];
      labels: { id: string; name: string }[];
    };
    const themes = codebook.themes;
    const column = themes.findIndex((t) => t.id === cell.theme);
    await page.locator(`[data-chart=themes] [data-cell="${row}:${column}"]`).click();
    await page.getByTestId('drill-total').waitFor();
    const expectedIds = (
      fx.db.$client
        .prepare(
          `SELECT i.id FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' AND t.theme = ?
           WHERE i.source_id = ? AND i.level = 'passage' AND i.excluded = FALSE AND i.suggested_label IS NOT NULL ORDER BY i.document_id, i.seq`,
        )
        .all(cell.theme, cell.sourceId) as { id: number }[]
    ).map((r) => r.id);
    expect(expectedIds).toHaveLength(cell.n);
    expect(await page.getByTestId('drill-total').textContent()).toMatch(new RegExp(`^${cell.n} items`));
    const listed = await page.locator('.dash-drill-list li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-item-id'))));
    expect(listed).toEqual(expectedIds);
    const href = await page.locator('.dash-drill-list li a').first().getAttribute('href');
    expect(href).toBe(`/review/items/${expectedIds[0]}`);

    // A framing bar: the first source's first label segment.
    await page.locator('.dash-drill').getByRole('button', { name: 'Close' }).click();
    await page.locator('.dash-drill').waitFor({ state: 'detached' });
    await page.locator('[data-chart=framing] .recharts-bar-rectangle').first().click();
    await page.getByTestId('drill-total').waitFor();
    const title = (await page.locator('.dash-drill h2').textContent())!;
    const [sourceName, labelName] = title.split(': ') as [string, string];
    const labelId = codebook.labels.find((l) => l.name === labelName)!.id;
    const barIds = (
      fx.db.$client
        .prepare(
          `SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id WHERE s.name = ? AND i.suggested_label = ? AND i.level = 'passage' AND i.excluded = FALSE ORDER BY i.document_id, i.seq`,
        )
        .all(sourceName, labelId) as { id: number }[]
    ).map((r) => r.id);
    expect(await page.getByTestId('drill-total').textContent(), title).toMatch(new RegExp(`^${barIds.length} items`));
    expect(await page.locator('.dash-drill-list li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-item-id'))))).toEqual(barIds.slice(0, 50));
  }, 180_000); // 3 min: imports and tags the corpus through the CLI on 2 shared cores

  it('downloads the framing chart as PNG and SVG and its data as CSV matching the numbers', async () => {
    const page = fx.page;
    const card = page.locator('[data-chart=framing]');
    const save = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name }).click()]);
      const path = await download.path();
      return { file: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const png = await save('Download Framing mix by source as PNG');
    expect(png.file).toMatch(/^framescope_framing_model_post-soviet-integration-v1_\d{4}-\d{2}-\d{2}\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.length).toBeGreaterThan(5_000);

    const svg = await save('Download Framing mix by source as SVG');
    expect(svg.file).toBe(png.file.replace(/png$/, 'svg'));
    const svgText = svg.bytes.toString('utf8');
    expect(svgText.startsWith('<svg')).toBe(true);
    expect(svgText).toContain('Framing mix by source');
    expect(svgText).toContain('Model suggestions only');
    expect(svgText).toContain('recharts-bar-rectangle');

    const csv = await save('Download Framing mix by source data as CSV');
    expect(csv.file).toBe(png.file.replace(/png$/, 'csv'));
    const [header, ...rows] = parseCsv(csv.bytes.toString('utf8'));
    expect(header!.slice(0, 5)).toEqual(['basis', 'source', 'counted', 'integrationist_count', 'integrationist_share']);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['model']));
    const direct = fx.db.$client
      .prepare(
        `SELECT s.name AS source, count(i.suggested_label) AS counted, ${countWhereText("i.suggested_label = 'integrationist'")} AS integrationist,
                ${countWhereText("i.suggested_label = 'critical'")} AS critical, ${countWhereText("i.suggested_label = 'analytical'")} AS analytical, avg(i.suggested_stance) AS stance
         FROM items i JOIN sources s ON s.id = i.source_id WHERE i.level = 'passage' AND i.excluded = FALSE GROUP BY s.name ORDER BY count(*) DESC, s.name`,
      )
      .all() as { source: string; counted: number; integrationist: number; critical: number; analytical: number; stance: number }[];
    expect(
      rows.map((r) => {
        const cols = Object.fromEntries(header!.map((h, k) => [h, r[k]!]));
        return [cols.source, Number(cols.counted), Number(cols.integrationist_share), Number(cols.critical_share), Number(cols.analytical_share), Number(cols.mean_stance)];
      }),
    ).toEqual(direct.map((d) => [d.source, d.counted, d.integrationist / d.counted, d.critical / d.counted, d.analytical / d.counted, d.stance]));
  }, 60_000);

  it('keeps filters in the URL and narrows every chart to the chosen source', async () => {
    const page = fx.page;
    await page.getByRole('radio', { name: 'People' }).click();
    await page.waitForURL(/basis=people/);
    const source = fx.db.$client.prepare('SELECT id, name FROM sources ORDER BY name LIMIT 1').get() as { id: number; name: string };
    await page.goto(`${fx.url}/dashboard?basis=model&sources=${source.id}`);
    await page.locator('[data-chart=framing] .recharts-bar-rectangle').first().waitFor();
    expect(await sourceTicks(page)).toEqual([squash(source.name)]);
    expect(await page.locator('[data-chart=themes] .dash-heatmap > g').count()).toBe(1);
  }, 60_000);
});
