import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReview, addSuggestion, seedCorpus } from '../../api/fixtures.ts';
import { getActiveCodebook } from '../../api/codebooks/service.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const LONG_NAME = 'The Invented Regional Weekly Review of Eastern Affairs';
const YEARS = ['2016', '2021', '2022', '2024'];
const PEOPLE_BULK = 'People incl. bulk: every human decision, bulk accepts of model labels and imported labels included (disputed and rejected-without-answer items left out).';

/** The width and height a PNG declares in its IHDR chunk. */
const pngSize = (bytes: Buffer) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

describe('chart downloads carry their meaning', () => {
  let fx: BrowserFixture;
  let codebook: { name: string; version: string };
  beforeAll(async () => {
    fx = await openAppInBrowser();
    const passages = (n: number, topic: string) => Array.from({ length: n }, (_, k) => ({ text: `${topic} paragraph ${k + 1} on tariffs and the customs union.` }));
    const docs = seedCorpus(fx.db, [
      { name: LONG_NAME, documents: YEARS.map((y) => ({ title: `Review ${y}`, published: `${y}-06-01`, passages: passages(4, y) })) },
      { name: 'Small Outlet', documents: [{ title: 'Brief', published: '2021-02-01', passages: passages(2, 'brief') }] },
    ]);
    const labels = ['integrationist', 'critical', 'analytical'];
    docs.flatMap((d) => d.passageItemIds).forEach((id, k) => {
      addSuggestion(fx.db, id, { label: labels[k % 3]!, stance: (k % 5) - 2, confidence: 0.3 + (k % 7) / 10, themes: ['sovereignty'] });
      // Every other item decided by a person, the rest bulk-accepted: the people-incl.-bulk basis counts both.
      addReview(fx.db, id, k % 2 === 0 ? { reviewer: 'ann', action: 'edit', label: labels[(k + 1) % 3]!, stance: (k % 3) - 1, themes: ['sovereignty'] } : { reviewer: 'bea', action: 'accept', kind: 'bulk', label: labels[k % 3]!, stance: (k % 5) - 2, themes: ['sovereignty'] });
    });
    const cb = getActiveCodebook(fx.db).definition;
    codebook = { name: cb.name, version: cb.version };
    await fx.page.setViewportSize({ width: 1280, height: 900 });
    await fx.page.goto(`${fx.url}/dashboard?basis=people&includeBulk=1&from=2016&to=2024`);
    await fx.page.waitForSelector('[data-chart=framing] .recharts-bar-rectangle');
  });
  afterAll(async () => {
    await fx?.close();
  });

  const save = async (chart: string, title: string, kind: 'PNG' | 'SVG' | 'CSV') => {
    const card = fx.page.locator(`[data-chart=${chart}]`);
    const name = kind === 'CSV' ? `Download ${title} data as CSV` : `Download ${title} as ${kind}`;
    const [download] = await Promise.all([fx.page.waitForEvent('download'), card.getByRole('button', { name }).click()]);
    return { file: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
  };
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  /** Every axis tick's text in an SVG download. */
  const ticks = (svg: string) => [...svg.matchAll(/<(tspan|text)[^>]*>([^<]+)<\/\1>/g)].map((m) => m[2]!);

  it('writes title, legend, basis statement, filters, codebook version and date into the SVG and PNG, and the file names', { timeout: 90_000 }, async () => {
    const base = `framescope_framing_people-incl-bulk_published-2016-to-2024_${codebook.name}-v${codebook.version}_${today()}`;
    const svg = await save('framing', 'Framing mix by source', 'SVG');
    expect(svg.file).toBe(`${base}.svg`);
    const text = svg.bytes.toString('utf8');
    expect(text).toContain('Framing mix by source (people incl. bulk, passages)');
    // The statement is written whole, over as many lines as it needs.
    const statementLines = [...text.matchAll(/<text[^>]*class="chart-statement"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(statementLines).toBe(`${PEOPLE_BULK} Share of passages per label.`);
    expect(text).toContain('Filters: published 2016 to 2024');
    expect(text).toContain(`Codebook ${codebook.name} v${codebook.version} · downloaded ${today()}`);
    const legend = [...text.matchAll(/<g class="chart-legend">(.*?)<\/g>/gs)].map((m) => m[1]!).join('');
    for (const label of ['Integrationist', 'Critical', 'Analytical']) expect(legend).toContain(`>${label}</text>`);
    // The long outlet name is on the axis whole, on one line, small-sample mark included; no tick carries floating-point residue.
    expect(ticks(text)).toContain(`${LONG_NAME} (n=16)`);
    expect(ticks(text).filter((t) => /\d\.\d{3,}/.test(t))).toEqual([]);
    expect(ticks(text)).toEqual(expect.arrayContaining(['0%', '25%', '50%', '75%', '100%']));

    const png = await save('framing', 'Framing mix by source', 'PNG');
    expect(png.file).toBe(`${base}.png`);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The PNG is the SVG drawn at twice its size: header and legend included.
    const width = Number(/<svg[^>]*width="(\d+)"/.exec(text)![1]);
    const height = Number(/<svg[^>]*height="(\d+)"/.exec(text)![1]);
    expect(pngSize(png.bytes)).toEqual({ width: 2 * width, height: 2 * height });

    const csv = await save('framing', 'Framing mix by source', 'CSV');
    expect(csv.file).toBe(`${base}.csv`);
    const [header, ...rows] = csv.bytes.toString('utf8').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(header!.slice(0, 3)).toEqual(['basis', 'source', 'counted']);
    // Largest first.
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['people incl. bulk', LONG_NAME],
      ['people incl. bulk', 'Small Outlet'],
    ]);
  });

  it('spaces the timeline by time, says "too few" for a 2-item source, and names the basis in every CSV', { timeout: 90_000 }, async () => {
    await fx.page.waitForSelector('[data-chart=timeline] .recharts-line');
    const svg = (await save('timeline', 'Over time', 'SVG')).bytes.toString('utf8');
    const x = Object.fromEntries([...svg.matchAll(/<tspan x="([\d.]+)"[^>]*>(\d{4})<\/tspan>/g)].map((m) => [m[2]!, Number(m[1])]));
    expect(Object.keys(x).sort()).toEqual(YEARS);
    // 2016 → 2021 is five of the eight years to 2024.
    expect((x['2021']! - x['2016']!) / (x['2024']! - x['2016']!)).toBeCloseTo(5 / 8, 1);
    expect((x['2022']! - x['2021']!) / (x['2024']! - x['2016']!)).toBeCloseTo(1 / 8, 1);

    const stance = (await save('stance', 'Stance by source', 'SVG')).bytes.toString('utf8');
    expect(ticks(stance)).toContain('Small Outlet (n=2, too few for an interval)');
    expect(ticks(stance).filter((t) => /^-?\d/.test(t))).toEqual(['-2', '-1', '0', '1', '2']);
    const stanceCsv = (await save('stance', 'Stance by source', 'CSV')).bytes.toString('utf8').trimEnd().split('\r\n').map((l) => l.split(','));
    const small = stanceCsv.find((r) => r[1] === 'Small Outlet')!;
    expect([small[0], small[3], small[4], small[7]]).toEqual(['people incl. bulk', '', '', 'too few']);
  });
});
