import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CODEBOOK_FILE, parseCodebook, type CodebookDefinition } from '../api/codebooks/definition.ts';
import { loadGoldFile } from '../api/evals/gold.ts';
import { cohenKappa } from '../api/metrics/agreement.ts';
import { expectedCalibrationError, trainLocalModel, type TrainingExample } from '../api/providers/local.ts';
import { rng, syntheticCorpus } from './synthetic.ts';

/**
 * The local baseline's learning curve and active learning, by simulated reviewing.
 * Reviewers decide items from a pool (the gold labels stand in for their decisions) in one of two
 * orders: random, or "uncertain first" (the current model's least confident suggestion first,
 * the model retrained after every batch of 25: the review queue's "least confident" order over
 * suggestions from the retrained model).
 * After 0, 50, 100, 200 and 500 reviews the model is scored against held-out human decisions on
 * outlets (or articles) that were never in the pool: accuracy, Cohen's kappa and the ECE of its
 * confidence. Corpora: the shared-corpus gold set (98 labelled passages; each article held out
 * in turn, the other four are the pool, so the curve stops where the pool does) and a synthetic
 * corpus (evals/synthetic.ts: 40 outlets x 100 passages; 10 outlets held out).
 * Run: `npx tsx evals/learning-curve.ts` (writes evals/results/learning-curve.md).
 */

const CHECKPOINTS = [0, 50, 100, 200, 500];
const BATCH = 25;

interface Split {
  pool: TrainingExample[];
  test: TrainingExample[];
}

interface Point {
  reviews: number;
  accuracy: number;
  kappa: number;
  ece: number;
}

function score(cb: CodebookDefinition, train: TrainingExample[], test: TrainingExample[]): Omit<Point, 'reviews'> {
  const model = trainLocalModel(cb, train);
  const answers = test.map((e) => {
    const r = model.classify(e.text);
    return { gold: e.label, predicted: r.label, confidence: r.probabilities[r.label]! };
  });
  return {
    accuracy: answers.filter((a) => a.gold === a.predicted).length / answers.length,
    kappa: cohenKappa(answers.map((a) => a.gold), answers.map((a) => a.predicted)),
    ece: expectedCalibrationError(answers.map((a) => ({ confidence: a.confidence, correct: a.gold === a.predicted }))),
  };
}

/** Reviews the pool in `order` up to the last checkpoint the pool allows, scoring at each. */
function simulate(cb: CodebookDefinition, split: Split, order: 'random' | 'uncertain', seed: number): Point[] {
  const random = rng(seed);
  const remaining = [...split.pool];
  for (let i = remaining.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [remaining[i], remaining[j]] = [remaining[j]!, remaining[i]!];
  }
  const reviewed: TrainingExample[] = [];
  const points: Point[] = [];
  for (const target of CHECKPOINTS) {
    if (target > split.pool.length) break;
    while (reviewed.length < target) {
      const take = Math.min(BATCH, target - reviewed.length);
      if (order === 'uncertain') {
        // The confidence of the suggestion (its label's probability), lowest first: the queue's "least confident" order.
        const model = trainLocalModel(cb, reviewed);
        const margin = (e: TrainingExample) => {
          const r = model.classify(e.text);
          return r.probabilities[r.label]!;
        };
        const ranked = remaining.map((e, i) => ({ i, m: margin(e) })).sort((a, b) => a.m - b.m);
        const chosen = new Set(ranked.slice(0, take).map((r) => r.i));
        reviewed.push(...remaining.filter((_, i) => chosen.has(i)));
        for (let i = remaining.length - 1; i >= 0; i--) if (chosen.has(i)) remaining.splice(i, 1);
      } else reviewed.push(...remaining.splice(0, take));
    }
    points.push({ reviews: target, ...score(cb, reviewed, split.test) });
  }
  return points;
}

/** Means over splits and seeds, per checkpoint reached by all of them. */
function mean(runs: Point[][]): Point[] {
  const reached = Math.min(...runs.map((r) => r.length));
  return Array.from({ length: reached }, (_, k) => {
    const at = runs.map((r) => r[k]!);
    const avg = (f: (p: Point) => number) => at.reduce((n, p) => n + f(p), 0) / at.length;
    return { reviews: at[0]!.reviews, accuracy: avg((p) => p.accuracy), kappa: avg((p) => p.kappa), ece: avg((p) => p.ece) };
  });
}

function table(random: Point[], uncertain: Point[]): string[] {
  const f = (x: number) => x.toFixed(3);
  return [
    '| reviews | accuracy, random | accuracy, uncertain first | kappa, random | kappa, uncertain first | ECE, random | ECE, uncertain first |',
    '|---|---|---|---|---|---|---|',
    ...random.map((r, k) => `| ${r.reviews} | ${f(r.accuracy)} | ${f(uncertain[k]!.accuracy)} | ${f(r.kappa)} | ${f(uncertain[k]!.kappa)} | ${f(r.ece)} | ${f(uncertain[k]!.ece)} |`),
  ];
}

const cb = parseCodebook(readFileSync(DEFAULT_CODEBOOK_FILE, 'utf8'));
const seeds = [1, 2, 3];

// Shared corpus gold: leave one article out; its labelled passages are the test.
const gold = loadGoldFile(join('evals', 'gold', 'shared-corpus.v1.jsonl'), join('..', 'shared', 'corpus'), cb);
const labelled = gold.items.filter((i) => i.level === 'passage' && !i.excluded && i.label !== null);
const articles = [...new Set(labelled.map((i) => i.documentKey))];
const asExample = (i: (typeof labelled)[number]): TrainingExample => ({ text: i.text, label: i.label!, stance: i.stance, themes: i.themes, level: 'passage' });
const goldSplits: Split[] = articles.map((a) => ({ pool: labelled.filter((i) => i.documentKey !== a).map(asExample), test: labelled.filter((i) => i.documentKey === a).map(asExample) }));
const goldRandom = mean(goldSplits.flatMap((s) => seeds.map((seed) => simulate(cb, s, 'random', seed))));
const goldUncertain = mean(goldSplits.flatMap((s) => seeds.map((seed) => simulate(cb, s, 'uncertain', seed))));

// Synthetic: 10 of 40 outlets held out.
const synthetic = syntheticCorpus(cb, { outlets: 40, perOutlet: 100, seed: 16 });
const heldOut = new Set(Array.from({ length: 10 }, (_, i) => `Synthetic Outlet ${i * 4 + 1}`));
const synthSplit: Split = { pool: synthetic.filter((e) => !heldOut.has(e.outlet)), test: synthetic.filter((e) => heldOut.has(e.outlet)) };
const synthRandom = mean(seeds.map((seed) => simulate(cb, synthSplit, 'random', seed)));
const synthUncertain = mean(seeds.map((seed) => simulate(cb, synthSplit, 'uncertain', seed)));

/** Reviews until accuracy first reaches `target` (linear between checkpoints), or null. */
const reviewsTo = (points: Point[], target: number) => {
  for (let k = 0; k < points.length; k++) {
    if (points[k]!.accuracy >= target) {
      if (k === 0) return 0;
      const a = points[k - 1]!;
      const b = points[k]!;
      return Math.round(a.reviews + ((target - a.accuracy) / (b.accuracy - a.accuracy)) * (b.reviews - a.reviews));
    }
  }
  return null;
};
const target = synthRandom[synthRandom.length - 1]!.accuracy * 0.95;
const out = [
  '# Local baseline: learning curve and active learning',
  '',
  `Generated by \`npx tsx evals/learning-curve.ts\` (${new Date().toISOString().slice(0, 10)}); the model is ${'`'}local-baseline-v2${'`'} trained on the codebook's examples plus the reviews so far; means over ${seeds.length} review orders per split.`,
  '',
  `## Shared corpus gold (${labelled.length} labelled passages of ${articles.length} articles; each article held out in turn, the pool is the other four)`,
  '',
  ...table(goldRandom, goldUncertain),
  '',
  `The pool holds at most ${Math.max(...goldSplits.map((s) => s.pool.length))} passages, so the curve stops at the last checkpoint every split reaches.`,
  '',
  `## Synthetic corpus (evals/synthetic.ts: ${synthetic.length} generated passages from 40 outlets; the 10 held-out outlets' ${synthSplit.test.length} passages are the test)`,
  '',
  ...table(synthRandom, synthUncertain),
  '',
  `Reviews to reach accuracy ${target.toFixed(3)} (95% of random order's accuracy after ${synthRandom[synthRandom.length - 1]!.reviews}): random ${reviewsTo(synthRandom, target) ?? 'not reached'}, uncertain first ${reviewsTo(synthUncertain, target) ?? 'not reached'}.`,
  '',
];
const file = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : join('evals', 'results', 'learning-curve.md');
writeFileSync(file, out.join('\n'));
process.stdout.write(out.join('\n'));
