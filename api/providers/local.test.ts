import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../codebooks/definition.ts';
import { deserializeLocalModel, trainLocalBaseline, trainLocalModel } from './local.ts';

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

  it('restores from its stored artefact a model that answers exactly as the trained one', () => {
    const examples = [
      { text: 'The tram and the bus network cut emissions.', label: 'pro-transit', stance: 1, themes: ['climate'] },
      { text: 'Parking fees punish every driver.', label: 'pro-car', stance: -1, themes: ['cost'] },
    ];
    const trained = trainLocalModel(transit, examples);
    const restored = deserializeLocalModel(transit, trained.serialize());
    for (const text of ['Buses and trams clean the air.', 'Free parking for drivers!', 'Nothing known here at all.']) {
      expect(restored.classify(text), text).toEqual(trained.classify(text));
    }
    expect([restored.trainingSize, restored.trainingHash]).toEqual([trained.trainingSize, trained.trainingHash]);
    const other = { ...transit, labels: [...transit.labels].reverse() };
    expect(() => deserializeLocalModel(other, trained.serialize())).toThrow('the stored local baseline was trained for another codebook');
  });
});
