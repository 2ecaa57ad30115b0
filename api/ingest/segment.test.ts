import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_PARAGRAPH_CHARS, segment } from './segment.ts';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, CORPUS), 'utf8');
const FILES = [
  'dugin-eurasian-macro-state.txt',
  'euromaidan-kremlins-losing-battle.txt',
  'regtrends-new-integration-project.txt',
  'sb-commonwealth-of-common-destiny.txt',
  'xusheng-post-soviet-union.txt',
];

describe('segment', () => {
  it('gives offsets that slice every shared-corpus document back exactly, in order, without overlap', () => {
    for (const file of FILES) {
      const text = read(file);
      const passages = segment(text);
      let last = 0;
      passages.forEach((p, i) => {
        expect(p.seq, `${file} seq`).toBe(i);
        expect(text.slice(p.start, p.end), `${file} passage ${i}`).toBe(p.text);
        expect(p.start, `${file} passage ${i} starts after the previous one`).toBeGreaterThanOrEqual(last);
        expect(p.text.trim(), `${file} passage ${i} is trimmed`).toBe(p.text);
        last = p.end;
      });
    }
  });

  it('excludes the Euromaidan copyright, donation and ad-blocker passages with their reasons', () => {
    const passages = segment(read('euromaidan-kremlins-losing-battle.txt'));
    const reasonOf = (start: string) => passages.find((p) => p.text.startsWith(start))?.reason;
    expect(reasonOf('Copyright © 2024')).toBe('copyright');
    expect(reasonOf('When referencing our materials')).toBe('copyright');
    expect(reasonOf('You could close this page.')).toBe('donation');
    expect(reasonOf('We are an independent media outlet')).toBe('adblock');
    expect(reasonOf('Related Posts')).toBe('related');
  });

  it("excludes the SB article's bare city captions and dateline", () => {
    const passages = segment(read('sb-commonwealth-of-common-destiny.txt'));
    const captions = passages.filter((p) => p.reason === 'caption').map((p) => p.text);
    expect(captions).toEqual([
      'Moscow, Russia',
      'Tashkent, Uzbekistan',
      'Baku, Azerbaijan',
      'Bishkek, Kyrgyzstan',
      'Chisinau, Moldova',
      'Minsk, Belarus',
      'Dushanbe, Tajikistan',
      'Astana, Kazakhstan\u00a0Yerevan, Armenia',
    ]);
    expect(passages[0]).toMatchObject({ text: 'Posted: 15.10.2024 16:48:24', excluded: true, reason: 'dateline' });
  });

  it('never excludes a passage that carries argument (two or more sentences of prose outside notes and appeals)', () => {
    const allowed = new Set(['donation', 'adblock', 'copyright', 'translator-note']);
    for (const file of FILES) {
      for (const p of segment(read(file))) {
        if (!p.excluded) continue;
        const sentences = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(p.text)].filter((s) => s.segment.split(/\s+/).length >= 6);
        if (sentences.length >= 2) expect(allowed.has(p.reason!), `${file}: "${p.text.slice(0, 60)}" excluded as ${p.reason}`).toBe(true);
      }
    }
  });

  it('keeps every argument paragraph of the Dugin and Xusheng articles, excluding only notes, the byline and section headings', () => {
    const dugin = segment(read('dugin-eurasian-macro-state.txt'));
    expect(dugin.filter((p) => !p.excluded)).toHaveLength(8);
    expect(dugin.filter((p) => p.excluded).map((p) => p.reason)).toEqual(['translator-note', 'translator-note', 'translator-note']);
    const xusheng = segment(read('xusheng-post-soviet-union.txt'));
    expect(xusheng.filter((p) => p.excluded).map((p) => [p.reason, p.text])).toEqual([
      ['byline', xusheng[1]!.text],
      ['heading', 'Impact 1, Ukraine'],
      ['heading', 'Influence 2, Belarus'],
      ['heading', 'Impact 3, Eastern European direction'],
      ['heading', 'Impact 4. Kazakhstan'],
    ]);
  });

  it('splits the RegTrends article, which has no paragraph breaks, at sentence ends into bounded passages', () => {
    const text = read('regtrends-new-integration-project.txt');
    const passages = segment(text);
    const body = passages.filter((p) => p.text.length > 200);
    expect(body.length).toBeGreaterThanOrEqual(8);
    for (const p of body) {
      expect(p.text.length, 'bounded length').toBeLessThanOrEqual(MAX_PARAGRAPH_CHARS);
      expect(p.text, 'ends at a sentence end').toMatch(/[.!?"”]$/u);
    }
    expect(passages[1]).toMatchObject({ excluded: true, reason: 'navigation' });
  });

  it('keeps a hard-wrapped paragraph whole and splits lines that are separate units', () => {
    const text =
      'The commission argued that the treaty had been drafted in haste and\nwithout consultation with the regional parliaments, which objected.\n\nPhoto: Jane Roe\nShort heading\nA full sentence follows here.';
    const passages = segment(text);
    expect(passages.map((p) => [p.text, p.reason])).toEqual([
      ['The commission argued that the treaty had been drafted in haste and\nwithout consultation with the regional parliaments, which objected.', null],
      ['Photo: Jane Roe', 'caption'],
      ['Short heading', null],
      ['A full sentence follows here.', null],
    ]);
  });

  it('keeps a short headline above a byline and excludes a bare site name between notices', () => {
    const text = 'Short Headline\n\nBy Jane Roe\n\nBody sentence one. Body sentence two.\n\nCopyright © 2025 Site\n\nSite Name\n\nRelated Posts';
    expect(segment(text).map((p) => [p.text, p.reason])).toEqual([
      ['Short Headline', null],
      ['By Jane Roe', 'byline'],
      ['Body sentence one. Body sentence two.', null],
      ['Copyright © 2025 Site', 'copyright'],
      ['Site Name', 'navigation'],
      ['Related Posts', 'related'],
    ]);
  });

  it("excludes a bare line that is just the outlet's name as a masthead, but not a sentence naming it", () => {
    const text = '# Headline\n\nNorthwind Herald\n\nThe Northwind Herald has learned that talks stalled again this week.';
    const passages = segment(text, { sourceName: 'Northwind Herald' });
    expect(passages.map((p) => [p.text, p.excluded, p.reason])).toEqual([
      ['# Headline', false, null],
      ['Northwind Herald', true, 'masthead'],
      ['The Northwind Herald has learned that talks stalled again this week.', false, null],
    ]);
  });

  it('returns no passages for whitespace-only text', () => {
    expect(segment(' \n\n\u00a0\n')).toEqual([]);
  });
});
