import type { CodebookDefinition } from '../api/codebooks/definition.ts';
import type { TrainingExample } from '../api/providers/local.ts';

/**
 * A larger labelled corpus, CLEARLY SYNTHETIC: written by this code from word lists, never by
 * people, for measuring the local baseline's learning curve beyond the 98 hand-labelled gold
 * passages. Each passage mixes label-specific phrasing (a third of its words), theme words and
 * general newswire words; every outlet has house-style words and its own label mix, and 12% of
 * the labels are flipped (the disagreement real reviewers have). Deterministic for a seed.
 */

const LEXICON: Record<string, string[]> = {
  integrationist: ['brotherly', 'partnership', 'common', 'prosperity', 'unity', 'shared', 'cooperation', 'strengthen', 'stability', 'mutual', 'benefit', 'together', 'friendship', 'opportunities', 'growth', 'reliable', 'allies', 'solidarity', 'harmony', 'progress'],
  critical: ['coercion', 'imperial', 'pressure', 'dependence', 'domination', 'leash', 'threat', 'aggression', 'vassal', 'propaganda', 'forced', 'repression', 'failing', 'corrupt', 'annexation', 'blackmail', 'occupation', 'puppet', 'resistance', 'collapse'],
  analytical: ['analysts', 'according', 'data', 'estimate', 'scenario', 'likely', 'however', 'survey', 'percent', 'experts', 'suggests', 'compared', 'observers', 'uncertain', 'factors', 'indicates', 'trend', 'figures', 'assessment', 'weighed'],
};
const GENERAL = 'minister said officials monday tuesday week year government capital talks meeting summit agreement statement press region country leaders president parliament trade border visit delegation report spokesman local national foreign policy council news talks issue plans agency decision public sources city people economy budget program'.split(' ');
const ASPECTS = ['economic', 'security', 'cultural', 'energy', 'legal', 'military', 'social', 'political'];

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticPassage extends TrainingExample {
  outlet: string;
}

/** `outlets` outlets of `perOutlet` passages each, labelled with the codebook's labels and themes. */
export function syntheticCorpus(cb: CodebookDefinition, opts: { outlets: number; perOutlet: number; seed: number }): SyntheticPassage[] {
  const random = rng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const labels = cb.labels.map((l) => l.id);
  const themeWords = cb.themes.map((t) => t.name.toLowerCase().split(/[^a-z]+/).filter((w) => w.length > 3));
  const out: SyntheticPassage[] = [];
  for (let o = 0; o < opts.outlets; o++) {
    const outlet = `Synthetic Outlet ${o + 1}`;
    const style = Array.from({ length: 4 }, () => `${pick(ASPECTS)}${Math.floor(random() * 90 + 10)}`);
    // Each outlet leans: one label has half its passages.
    const lean = pick(labels);
    for (let i = 0; i < opts.perOutlet; i++) {
      const label = random() < 0.5 ? lean : pick(labels);
      const lexicon = LEXICON[label] ?? GENERAL;
      const themeIdx = [Math.floor(random() * cb.themes.length), ...(random() < 0.4 ? [Math.floor(random() * cb.themes.length)] : [])];
      const words: string[] = [];
      const length = 12 + Math.floor(random() * 14);
      for (let w = 0; w < length; w++) {
        const r = random();
        words.push(r < 0.3 ? pick(lexicon) : r < 0.42 ? pick(themeWords[pick(themeIdx)]!) : r < 0.5 ? pick(style) : pick(GENERAL));
      }
      const shown = random() < 0.12 ? pick(labels.filter((l) => l !== label)) : label;
      const stance = shown === 'integrationist' ? 1 + Math.floor(random() * 2) : shown === 'critical' ? -1 - Math.floor(random() * 2) : 0;
      out.push({ outlet, text: `${words.join(' ')}.`, label: shown, stance, themes: [...new Set(themeIdx.map((t) => cb.themes[t]!.id))], level: 'passage' });
    }
  }
  return out;
}
