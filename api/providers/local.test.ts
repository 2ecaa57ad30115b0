import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../codebooks/definition.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { localProviderFor } from '../tagging/runs.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { testDeps } from '../testing.ts';
import { trainLocalBaseline } from './local.ts';

/** A codebook on another question entirely: nothing in the classifier may assume the default topic. */
const transit = parseCodebook(
  JSON.stringify({
    name: 'city-transit',
    version: '1',
    labels: [
      { id: 'pro-transit', name: 'Pro transit', definition: 'Public transport should grow.', examples: ['New tram lines make the city breathe.'] },
      { id: 'pro-car', name: 'Pro car', definition: 'Roads and parking come first.', examples: ['Drivers need more parking and wider roads.'] },
    ],
    stance: { target: 'public transport', min: -1, max: 1, labels: {} },
    themes: [
      { id: 'cost', name: 'Cost', definition: 'Fares, budgets, taxes.' },
      { id: 'climate', name: 'Climate', definition: 'Emissions and clean air.' },
    ],
  }),
);

describe('the local baseline', () => {
  const provider = trainLocalBaseline(transit, [
    { text: 'The tram and the bus network cut emissions and clean the air.', label: 'pro-transit', stance: 1, themes: ['climate'] },
    { text: 'A cheaper metro fare helps every commuter.', label: 'pro-transit', stance: 1, themes: ['cost'] },
    { text: 'Parking fees and fewer lanes punish every driver.', label: 'pro-car', stance: -1, themes: ['cost'] },
    { text: 'Motorists want the ring road widened and parking kept free.', label: 'pro-car', stance: -1, themes: [] },
  ]);
  const ask = (text: string) =>
    provider.classify({ codebook: transit, level: 'passage', text, messages: { system: '', user: '' } }).then((r) => {
      if (!r.ok) throw new Error(r.error);
      return r.output;
    });

  it('learns labels, stance and themes of any codebook from its examples', async () => {
    expect(provider).toMatchObject({ name: 'local', model: 'local-baseline-v1', displayName: 'local baseline (local-baseline-v1)' });
    const tram = await ask('More tram lines and buses would clean the air.');
    expect([tram.label, tram.stance]).toEqual(['pro-transit', 1]);
    expect(tram.themes).toContain('climate');
    const car = await ask('Drivers deserve free parking and a wider ring road.');
    expect([car.label, car.stance]).toEqual(['pro-car', -1]);
  });

  it('gives a probability as confidence, the strongest sentences as evidence with offsets, and names its strongest terms', async () => {
    const text = 'The council met on Tuesday. Drivers deserve free parking and a wider ring road!';
    const out = await ask(text);
    expect(out.confidence).toBeGreaterThan(0.5);
    expect(out.confidence).toBeLessThan(1);
    expect(out.evidence[0]).toEqual({ quote: 'Drivers deserve free parking and a wider ring road!', start: 28 });
    expect(text.slice(28, 28 + out.evidence[0]!.quote.length)).toBe(out.evidence[0]!.quote);
    expect(out.rationale).toMatch(/^Local baseline: pro-car \(p=0\.\d\d\); strongest terms: [a-z, ]*parking/);
  });

  it('is retrained when reviews accumulate, so a correction changes the next answer', async () => {
    const deps = testDeps();
    const cb = getActiveCodebook(deps.db);
    const ref = { definition: cb.definition, version: cb.version, hash: cb.hash };
    const texts = ['Zorblat quinoxes the frimble.', 'Zorblat quinoxes the frimble again.', 'The frimble is zorblat.'];
    const [doc] = seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'Nonsense', passages: texts.map((text) => ({ text })) }] }]);
    const before = localProviderFor(deps.db, ref);
    expect(localProviderFor(deps.db, ref), 'unchanged reviews: the same trained model').toBe(before);
    for (const itemId of doc!.passageItemIds) {
      addSuggestion(deps.db, itemId, { label: 'integrationist', stance: 1 });
      addReview(deps.db, itemId, { reviewer: 'ana', action: 'edit', label: 'critical', stance: -2, themes: ['disintegration'] });
    }
    const after = localProviderFor(deps.db, ref);
    expect(after).not.toBe(before);
    expect((after.params as { trainingSize: number }).trainingSize).toBe((before.params as { trainingSize: number }).trainingSize + 3);
    const r = await after.classify({ codebook: cb.definition, level: 'passage', text: 'Zorblat quinoxes the frimble once more.', messages: { system: '', user: '' } });
    expect(r.ok && [r.output.label, r.output.stance]).toEqual(['critical', -2]);
  });
});
