import { describe, expect, it } from 'vitest';
import { seededRandom } from '../metrics/rng.ts';
import { segment } from './segment.ts';

/**
 * Generated news pages (not the shared corpus): headline, standfirst, byline, dateline, body
 * paragraphs, section headings, photo captions, a pull quote with its attribution, related
 * links and a footer, in shuffled arrangements. Every line knows whether a person would count
 * it as article text; the segmenter is scored against that.
 */
const WORDS = 'market council border harbour grain treaty ministry pipeline customs election railway summit budget parliament quota bank steel wheat tariff court'.split(' ');
const PLACES = ['Riga, Latvia', 'Tallinn, Estonia', 'Vilnius, Lithuania', 'Tbilisi, Georgia', 'Almaty, Kazakhstan'];
const NAMES = ['Marta Kalnina', 'Jonas Petraitis', 'Nino Beridze', 'Aigerim Sadykova'];

function page(seed: number): { text: string; lines: { text: string; content: boolean }[] } {
  const rand = seededRandom(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS));
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const sentence = () => `${cap(words(9 + Math.floor(rand() * 10)).join(' '))}.`;
  const paragraph = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, sentence).join(' ');
  const lines: { text: string; content: boolean }[] = [];
  const add = (text: string, content: boolean) => lines.push({ text, content });
  add(cap(words(5).join(' ')), true);
  add(`${cap(words(12).join(' '))}.`, true);
  add(`By ${pick(NAMES)}`, false);
  add(`Published: ${1 + Math.floor(rand() * 28)} March 2024`, false);
  add(paragraph(), true);
  const sections = 2 + Math.floor(rand() * 3);
  for (let s = 0; s < sections; s++) {
    if (rand() < 0.5) add(pick(PLACES), false);
    if (rand() < 0.4) add(`Photo: ${cap(words(4).join(' '))}`, false);
    if (rand() < 0.4) {
      add(`${pick(NAMES)},`, false);
      add(`“${cap(words(14).join(' '))}, and we will not wait for anyone.”`, true);
      add(`Minister of ${cap(pick(WORDS))}, at the ${cap(pick(WORDS))} summit`, false);
    }
    add(cap(words(2 + Math.floor(rand() * 3)).join(' ')), false);
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) add(paragraph(), true);
  }
  add('Related articles:', false);
  add(cap(words(6).join(' ')), false);
  add(`Copyright © 2024 ${cap(pick(WORDS))} News. All rights reserved.`, false);
  return { text: lines.map((l) => l.text).join('\n\n'), lines };
}

describe('segmentation of generated pages with headings, captions and bylines', () => {
  it('excludes the furniture and keeps the article with precision and recall of at least 0.9', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let lost = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { text, lines } = page(seed);
      const ps = segment(text, { sourceName: 'Harbour News' });
      expect(ps.map((p) => p.text)).toEqual(lines.map((l) => l.text));
      ps.forEach((p, i) => {
        const furniture = !lines[i]!.content;
        if (p.excluded && furniture) tp++;
        else if (p.excluded) fp++;
        else if (furniture) fn++;
        if (p.excluded && lines[i]!.content && p.text.length > 200) lost++;
      });
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    expect(precision, `precision ${precision} (${fp} wrong)`).toBeGreaterThanOrEqual(0.9);
    expect(recall, `recall ${recall} (${fn} missed)`).toBeGreaterThanOrEqual(0.9);
    expect(lost, 'body paragraphs excluded').toBe(0);
  });

  it('keeps the headline, the standfirst and a bare line that opens a list', () => {
    const text = ['Grain talks stall', 'Ministers fail to agree on quotas for the coming season.', 'The ministers met for a third day and could not agree on the quota system for grain exports.', 'Three points remain open', '- the quota', '- the tariff', 'Both sides will meet again next month, officials said after the session.'].join('\n\n');
    const ps = segment(text);
    expect(ps.filter((p) => p.excluded).map((p) => p.text)).toEqual([]);
  });

  it('reads a line ending in a colon as prose, not as a heading', () => {
    const text = ['The minister spoke for an hour about the treaty and what it would cost the region.', 'The message of this statement:', 'Integration will go on whatever the neighbours say about it, the minister added.'].join('\n\n');
    expect(segment(text).some((p) => p.excluded)).toBe(false);
  });
});
