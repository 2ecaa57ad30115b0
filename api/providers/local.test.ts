import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODEBOOK_FILE, parseCodebook } from '../codebooks/definition.ts';
import { deserializeLocalModel, expectedCalibrationError, labelStanceSigns, trainLocalBaseline, trainLocalModel } from './local.ts';

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
    expect(provider).toMatchObject({ name: 'local', model: 'local-baseline-v2', displayName: 'local baseline (local-baseline-v2)' });
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

describe('the local baseline on documents and stance', () => {
  const provider = trainLocalBaseline(transit, [
    { text: 'The tram and the bus network cut emissions and clean the air.', label: 'pro-transit', stance: 1, themes: ['climate'] },
    { text: 'A cheaper metro fare helps every commuter.', label: 'pro-transit', stance: 1, themes: ['cost'] },
    { text: 'Parking fees and fewer lanes punish every driver.', label: 'pro-car', stance: -1, themes: ['cost'] },
    { text: 'Motorists want the ring road widened and parking kept free.', label: 'pro-car', stance: -1, themes: [] },
  ]);
  /** A document of passages joined by blank lines, with the spans of those not excluded. */
  const documentOf = (parts: { text: string; excluded?: boolean }[]) => {
    let text = '';
    const spans: { start: number; end: number; excluded: boolean }[] = [];
    for (const p of parts) {
      if (text) text += '\n\n';
      spans.push({ start: text.length, end: text.length + p.text.length, excluded: p.excluded === true });
      text += p.text;
    }
    return { text, spans, passages: spans.filter((s) => !s.excluded).map(({ start, end }) => ({ start, end })) };
  };
  const ask = async (level: 'passage' | 'document', text: string, passages?: { start: number; end: number }[]) => {
    const r = await provider.classify({ codebook: transit, level, text, passages, messages: { system: '', user: '' } });
    if (!r.ok) throw new Error(r.error);
    return r.output;
  };

  it('reads a document through its passages that are not excluded: their themes, their label, evidence only from them', async () => {
    const d = documentOf([
      { text: 'The tram and the bus network cut emissions and clean the air.' },
      { text: 'A cheaper metro fare helps every commuter.' },
      { text: 'Drivers need free parking and a wider ring road. Parking deals for motorists every week!', excluded: true },
    ]);
    const out = await ask('document', d.text, d.passages);
    const passageThemes = new Set<string>();
    for (const s of d.passages) for (const t of (await ask('passage', d.text.slice(s.start, s.end))).themes) passageThemes.add(t);
    expect(passageThemes.size).toBeGreaterThan(0);
    expect(new Set(out.themes)).toEqual(passageThemes);
    expect([out.label, out.stance]).toEqual(['pro-transit', 1]);
    const excluded = d.spans.find((s) => s.excluded)!;
    for (const e of out.evidence) {
      expect(e.start! + e.quote.length <= excluded.start || e.start! >= excluded.end, `evidence "${e.quote}" comes from the excluded passage`).toBe(true);
      expect(d.text.slice(e.start!, e.start! + e.quote.length)).toBe(e.quote);
    }
  });

  it('knows the stance sign each label implies from the examples it learned from', () => {
    expect(Object.fromEntries(labelStanceSigns(parseCodebook(readFileSync(DEFAULT_CODEBOOK_FILE, 'utf8'))))).toEqual({ integrationist: 1, critical: -1, analytical: 0 });
  });

  it('never gives a stance whose sign contradicts its own label, at either level, on texts mixing every label', async () => {
    const cb = parseCodebook(readFileSync(DEFAULT_CODEBOOK_FILE, 'utf8'));
    const local = trainLocalBaseline(cb, []);
    const signs = labelStanceSigns(cb);
    const sentences = [...cb.labels.flatMap((l) => l.examples), ...(cb.examples ?? []).map((e) => e.text)];
    let contradictions = 0;
    let asked = 0;
    for (let i = 0; i < sentences.length; i++) {
      for (let j = 0; j < sentences.length; j += 3) {
        const text = `${sentences[i]} ${sentences[j]}`;
        for (const level of ['passage', 'document'] as const) {
          const r = await local.classify({ codebook: cb, level, text, passages: level === 'document' ? [{ start: 0, end: sentences[i]!.length }, { start: sentences[i]!.length + 1, end: text.length }] : undefined, messages: { system: '', user: '' } });
          if (!r.ok) throw new Error(r.error);
          asked++;
          const sign = signs.get(r.output.label)!;
          if (sign !== 0 && r.output.stance !== 0 && Math.sign(r.output.stance) !== sign) contradictions++;
        }
      }
    }
    expect(asked).toBeGreaterThan(100);
    expect(contradictions).toBe(0);
  });
});

describe('the local baseline\'s confidence', () => {
  /** Reviewed examples whose words say the label plainly: a model that learns them is right far more often than its raw probabilities say. */
  const reviewed = (n: number) => {
    const transitWords = ['tram', 'bus', 'metro', 'cycle', 'lanes', 'clean', 'air', 'fare', 'commuters', 'stations'];
    const carWords = ['parking', 'drivers', 'motorists', 'ring', 'road', 'highway', 'petrol', 'garages', 'traffic', 'cars'];
    const filler = ['council', 'city', 'plan', 'week', 'mayor', 'budget', 'residents', 'report'];
    let seed = 7;
    const pick = <T,>(xs: T[]) => xs[(seed = (seed * 1103515245 + 12345) % 2147483648) % xs.length]!;
    return Array.from({ length: n }, (_, i) => {
      const transit = i % 2 === 0;
      const words = Array.from({ length: 6 }, (_, k) => (k % 2 === 0 ? pick(transit ? transitWords : carWords) : pick(filler)));
      return { text: `${words.join(' ')} number ${i}.`, label: transit ? 'pro-transit' : 'pro-car', stance: transit ? 1 : -1, themes: [] };
    });
  };

  it('is fitted on out-of-fold human decisions: a temperature that lowers the calibration error, kept with the stored model', () => {
    const model = trainLocalModel(transit, reviewed(90));
    const c = model.calibration!;
    expect(c.examples).toBe(90);
    expect(c.accuracy).toBeGreaterThan(0.9);
    expect(c.temperature).toBeLessThan(1);
    expect(c.eceAfter).toBeLessThan(c.eceBefore);
    const restored = deserializeLocalModel(transit, model.serialize());
    expect(restored.calibration).toEqual(c);
    const text = 'New tram lines and cleaner air for commuters.';
    expect(restored.classify(text)).toEqual(model.classify(text));
    const raw = trainLocalModel(transit, reviewed(90), { calibrate: false });
    expect(raw.calibration).toBeNull();
    expect(model.classify(text).probabilities['pro-transit']!, 'calibrated confidence is sharper where the model is usually right').toBeGreaterThan(raw.classify(text).probabilities['pro-transit']!);
  });

  it('stays uncalibrated with fewer than 30 human decisions', () => {
    expect(trainLocalModel(transit, reviewed(29)).calibration).toBeNull();
  });

  it('measures expected calibration error over equal-width bins', () => {
    expect(expectedCalibrationError([{ confidence: 0.95, correct: true }, { confidence: 0.95, correct: false }, { confidence: 0.35, correct: false }])).toBeCloseTo((2 / 3) * 0.45 + (1 / 3) * 0.35, 10);
    expect(expectedCalibrationError([])).toBe(0);
  });
});
