import { describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, READABILITY_MAX_ELEMENTS, readHtmlFile, scanMarkup, type HtmlWork } from './html.ts';
import { runImport } from './import.ts';
import { bytesSource } from './sources.ts';

const page = (body: string) => `<html lang="en"><head><title>T</title></head><body>${body}</body></html>`;
const siblings = (n: number) => page(Array.from({ length: n }, (_, i) => `<p>Paragraph ${i}.</p>`).join(''));
const nested = (n: number, close = true) => page(`${'<div>'.repeat(n)}deep${close ? '</div>'.repeat(n) : ''}`);

describe('HTML reading is bounded and linear', () => {
  it('counts tags and open nesting in one pass, skipping comments, scripts and self-closing elements', () => {
    expect(scanMarkup('<div><p>a<p>b<br><img src=x></div><!-- <div><div> --><script>if (a<b) {}</script>')).toEqual({ tags: 6, depth: 1 });
    expect(scanMarkup(nested(300)).depth).toBe(300);
  });

  it('refuses 80,000 sibling paragraphs before parsing, with the count', () => {
    expect(() => readHtmlFile('big.html', siblings(80_000))).toThrow(`HTML has 80,004 elements, over the ${MAX_HTML_ELEMENTS.toLocaleString('en-US')} limit (save the article text as .txt)`);
  });

  it('refuses 5 MB of nested divs, and 40,000 closed ones, before parsing', () => {
    const fiveMb = nested(1_000_000, false);
    expect(fiveMb.length).toBeGreaterThan(5_000_000);
    expect(() => readHtmlFile('deep.html', fiveMb)).toThrow('HTML has 1,000,004 elements, over the 50,000 limit (save the article text as .txt)');
    expect(() => readHtmlFile('deep.html', nested(40_000))).toThrow(`HTML nests elements 40,000 levels deep, over the ${MAX_HTML_DEPTH} limit (save the article text as .txt)`);
  });

  it('reads 20,000 sibling paragraphs visiting each node once, without Readability', () => {
    const work: HtmlWork = { visited: 0, readability: false };
    const doc = readHtmlFile('many.html', siblings(20_000), work);
    expect(work).toEqual({ visited: 1 + 2 * 20_000, readability: false });
    expect(doc.text.split('\n\n')).toHaveLength(20_000);
    expect(doc.title).toBe('T');
  });

  it('uses Readability only on pages of article size', () => {
    const work: HtmlWork = { visited: 0, readability: false };
    readHtmlFile('small.html', siblings(READABILITY_MAX_ELEMENTS - 10), work);
    expect(work.readability).toBe(true);
  });

  it('fails a hostile page alone in an import, and imports the next file', async () => {
    const db = createTestDb();
    const report = await runImport(db, [bytesSource('deep.html', nested(40_000)), bytesSource('fine.txt', 'A fine article.')], { origin: 'upload' });
    expect(report.files.map((f) => [f.status, f.error ?? null])).toEqual([
      ['failed', 'deep.html: HTML nests elements 40,000 levels deep, over the 256 limit (save the article text as .txt)'],
      ['imported', null],
    ]);
  });
});
