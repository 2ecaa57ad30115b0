import { createHash } from 'node:crypto';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { providerLabel } from './label.ts';
import type { ClassifyRequest, ClassifyResult, Provider, RawEvidence } from './types.ts';

/**
 * The embedded local baseline: a statistical text classifier that runs in-process with no
 * network and no download. Features are TF-IDF weights of word unigrams (sublinear term
 * frequency, L2-normalised). The framing label is a multinomial logistic regression with L2
 * regularisation and class-balanced weights; stance is a second multinomial model over the
 * codebook's stance values (the most probable value is the answer); each theme
 * is a one-vs-rest binary logistic regression. Confidence is the label model's probability.
 * Evidence is the sentences whose words push hardest toward the chosen label; the rationale
 * names the strongest terms. It is always shown as "local baseline", never as an LLM.
 */

export const LOCAL_MODEL = 'local-baseline-v1';

/** One training example: a text with a human (or codebook) label, stance and themes. */
export interface TrainingExample {
  text: string;
  label: string;
  stance?: number | null;
  themes?: string[];
  level?: 'passage' | 'document';
}

export interface TrainOptions {
  /** Also learn from the codebook's own examples, label examples and theme definitions (default true). */
  includeCodebookExamples?: boolean;
  /** L2 penalty per example (default 0.01). */
  l2?: number;
  /** Gradient-descent iterations (default 200). */
  iterations?: number;
}

const STOPWORDS = new Set(
  'a an and are as at be been but by for from had has have he her his i if in into is it its of on or our she so than that the their them then there these they this to was we were what when which who will with would you your not no do does did can could should may might must also about over after before more most such only other than up out very just own same both each few'.split(
    ' ',
  ),
);
const TOKEN_RE = /[\p{L}\p{N}]+/gu;

/** Lower-cased word tokens, without stop words and one-letter tokens. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(TOKEN_RE)) {
    const t = m[0];
    if (t.length > 1 && !STOPWORDS.has(t)) out.push(t);
  }
  return out;
}

interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

class Vectorizer {
  readonly vocab = new Map<string, number>();
  idf = new Float64Array(0);

  fit(docs: string[][]): void {
    const df: number[] = [];
    for (const doc of docs) {
      for (const t of new Set(doc)) {
        let i = this.vocab.get(t);
        if (i === undefined) {
          i = this.vocab.size;
          this.vocab.set(t, i);
          df.push(0);
        }
        df[i]!++;
      }
    }
    this.idf = Float64Array.from(df, (d) => Math.log((1 + docs.length) / (1 + d)) + 1);
  }

  transform(tokens: string[]): SparseVector {
    const counts = new Map<number, number>();
    for (const t of tokens) {
      const i = this.vocab.get(t);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = new Int32Array(counts.size);
    const val = new Float64Array(counts.size);
    let k = 0;
    let norm = 0;
    for (const [i, c] of counts) {
      const v = (1 + Math.log(c)) * this.idf[i]!;
      idx[k] = i;
      val[k++] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < val.length; j++) val[j]! /= norm;
    return { idx, val };
  }
}

/** Multinomial logistic regression (softmax) on sparse vectors; weights[k][feature], bias[k]. */
class Softmax {
  readonly weights: Float64Array[];
  readonly bias: Float64Array;
  constructor(
    readonly classes: number,
    readonly dims: number,
  ) {
    this.weights = Array.from({ length: classes }, () => new Float64Array(dims));
    this.bias = new Float64Array(classes);
  }

  scores(x: SparseVector): Float64Array {
    const s = Float64Array.from(this.bias);
    for (let k = 0; k < this.classes; k++) {
      const w = this.weights[k]!;
      let z = s[k]!;
      for (let j = 0; j < x.idx.length; j++) z += w[x.idx[j]!]! * x.val[j]!;
      s[k] = z;
    }
    return s;
  }

  predict(x: SparseVector): Float64Array {
    const s = this.scores(x);
    let max = -Infinity;
    for (const v of s) max = Math.max(max, v);
    let sum = 0;
    for (let k = 0; k < s.length; k++) sum += s[k] = Math.exp(s[k]! - max);
    for (let k = 0; k < s.length; k++) s[k]! /= sum;
    return s;
  }

  /** Full-batch gradient descent on the class-balanced, L2-regularised log loss. */
  fit(xs: SparseVector[], ys: number[], l2: number, iterations: number): void {
    const n = xs.length;
    if (n === 0) return;
    const perClass = new Array<number>(this.classes).fill(0);
    for (const y of ys) perClass[y]!++;
    const present = perClass.filter((c) => c > 0).length;
    const weightOf = ys.map((y) => n / (present * perClass[y]!));
    const lr = 1.0;
    for (let it = 0; it < iterations; it++) {
      const gradW = Array.from({ length: this.classes }, () => new Float64Array(this.dims));
      const gradB = new Float64Array(this.classes);
      for (let i = 0; i < n; i++) {
        const p = this.predict(xs[i]!);
        const x = xs[i]!;
        for (let k = 0; k < this.classes; k++) {
          const g = (p[k]! - (ys[i] === k ? 1 : 0)) * weightOf[i]!;
          if (g === 0) continue;
          gradB[k]! += g;
          const gw = gradW[k]!;
          for (let j = 0; j < x.idx.length; j++) gw[x.idx[j]!]! += g * x.val[j]!;
        }
      }
      for (let k = 0; k < this.classes; k++) {
        const w = this.weights[k]!;
        const gw = gradW[k]!;
        for (let d = 0; d < this.dims; d++) w[d]! -= lr * (gw[d]! / n + l2 * w[d]!);
        this.bias[k]! -= (lr * gradB[k]!) / n;
      }
    }
  }
}

interface Sentence {
  start: number;
  end: number;
}

/** Sentence spans (offsets into text), trimmed of surrounding whitespace. */
export function sentenceSpans(text: string): Sentence[] {
  const spans: Sentence[] = [];
  const re = /[^.!?\n]+(?:[.!?]+["'”»)]*|\n|$)/g;
  for (const m of text.matchAll(re)) {
    let start = m.index!;
    let end = start + m[0].length;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end - start >= 3) spans.push({ start, end });
  }
  return spans;
}

/** The trained baseline's models, exposed for the provider and for inspection in tests. */
export interface LocalBaselineModel {
  codebook: CodebookDefinition;
  trainingSize: number;
  /** sha256 over the training examples: which model produced a suggestion. */
  trainingHash: string;
  classify(text: string): { label: string; probabilities: Record<string, number>; stance: number; themes: string[]; evidence: RawEvidence[]; strongestTerms: string[] };
}

function codebookExamples(cb: CodebookDefinition): { label: TrainingExample[]; themes: { text: string; themes: string[] }[] } {
  const label: TrainingExample[] = cb.labels.flatMap((l) => l.examples.map((text) => ({ text, label: l.id })));
  for (const e of cb.examples ?? []) label.push({ text: e.text, label: e.label, stance: e.stance, themes: e.themes });
  // A theme's name and definition are its most reliable description when no reviewed item has it yet.
  const themes = cb.themes.map((t) => ({ text: `${t.name}. ${t.definition}`, themes: [t.id] }));
  return { label, themes };
}

/** Trains the local baseline's models from explicit examples (plus, by default, the codebook's own). */
export function trainLocalModel(codebook: CodebookDefinition, examples: TrainingExample[], options: TrainOptions = {}): LocalBaselineModel {
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 200;
  const fromBook = options.includeCodebookExamples === false ? { label: [], themes: [] } : codebookExamples(codebook);
  const labelIds = codebook.labels.map((l) => l.id);
  const labelled = [...fromBook.label, ...examples].filter((e) => labelIds.includes(e.label));
  const themeTexts = [...labelled.map((e) => ({ text: e.text, themes: e.themes ?? [] })), ...fromBook.themes];

  const tokensOf = new Map<string, string[]>();
  const tok = (t: string) => tokensOf.get(t) ?? (tokensOf.set(t, tokenize(t)), tokensOf.get(t)!);
  const vec = new Vectorizer();
  vec.fit([...new Set([...labelled.map((e) => e.text), ...themeTexts.map((e) => e.text)])].map(tok));
  const dims = vec.vocab.size;

  const labelModel = new Softmax(labelIds.length, dims);
  labelModel.fit(
    labelled.map((e) => vec.transform(tok(e.text))),
    labelled.map((e) => labelIds.indexOf(e.label)),
    l2,
    iterations,
  );

  const stanceValues: number[] = [];
  for (let v = codebook.stance.min; v <= codebook.stance.max; v++) stanceValues.push(v);
  const withStance = labelled.filter((e) => typeof e.stance === 'number' && e.stance >= codebook.stance.min && e.stance <= codebook.stance.max);
  const stanceModel = withStance.length > 0 ? new Softmax(stanceValues.length, dims) : null;
  stanceModel?.fit(
    withStance.map((e) => vec.transform(tok(e.text))),
    withStance.map((e) => stanceValues.indexOf(e.stance!)),
    l2,
    iterations,
  );
  const neutralStance = Math.round((codebook.stance.min + codebook.stance.max) / 2);

  const themeXs = themeTexts.map((e) => vec.transform(tok(e.text)));
  const themeModels = codebook.themes.map((t) => {
    const ys = themeTexts.map((e) => (e.themes.includes(t.id) ? 1 : 0));
    if (!ys.includes(1)) return null;
    const m = new Softmax(2, dims);
    m.fit(themeXs, ys, l2, iterations);
    return m;
  });

  const trainingHash = createHash('sha256')
    .update(JSON.stringify([examples.map((e) => [e.text, e.label, e.stance ?? null, e.themes ?? []]), options.includeCodebookExamples !== false, l2, iterations]))
    .digest('hex');

  const words = [...vec.vocab.keys()];
  return {
    codebook,
    trainingSize: labelled.length,
    trainingHash,
    classify(text) {
      const x = vec.transform(tokenize(text));
      const p = labelModel.predict(x);
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
      let stance = neutralStance;
      if (stanceModel) {
        // The most probable stance value: the expected value of a weakly trained model sits
        // near the middle of the scale whatever the text says.
        const ps = stanceModel.predict(x);
        let top = 0;
        for (let k = 1; k < ps.length; k++) if (ps[k]! > ps[top]!) top = k;
        stance = stanceValues[top]!;
      }
      const themes = codebook.themes.filter((_, i) => (themeModels[i]?.predict(x)[1] ?? 0) >= 0.5).map((t) => t.id);

      // A term's pull toward the chosen label: its weight there minus its mean weight elsewhere.
      const pull = (featureIndex: number) => {
        let others = 0;
        for (let k = 0; k < labelIds.length; k++) if (k !== best) others += labelModel.weights[k]![featureIndex]!;
        return labelModel.weights[best]![featureIndex]! - others / Math.max(1, labelIds.length - 1);
      };
      const termScores: [number, number][] = [];
      for (let j = 0; j < x.idx.length; j++) termScores.push([x.idx[j]!, x.val[j]! * pull(x.idx[j]!)]);
      termScores.sort((a, b) => b[1] - a[1]);
      const strongestTerms = termScores.filter(([, s]) => s > 0).slice(0, 5).map(([i]) => words[i]!);

      const scored = sentenceSpans(text).map((s) => {
        let score = 0;
        for (const t of tokenize(text.slice(s.start, s.end))) {
          const i = vec.vocab.get(t);
          if (i !== undefined) score += vec.idf[i]! * pull(i);
        }
        return { ...s, score };
      });
      scored.sort((a, b) => b.score - a.score);
      const chosen = scored.filter((s, i) => i === 0 || s.score > 0).slice(0, 2);
      const evidence = chosen.map((s) => ({ quote: text.slice(s.start, s.end), start: s.start }));

      const probabilities = Object.fromEntries(labelIds.map((id, k) => [id, p[k]!]));
      return { label: labelIds[best]!, probabilities, stance, themes, evidence, strongestTerms };
    },
  };
}

/** Wraps a trained model as a Provider (provider `local`, model `local-baseline-v1`). */
export function localProviderFromModel(model: LocalBaselineModel): Provider {
  return {
    name: 'local',
    model: LOCAL_MODEL,
    displayName: providerLabel('local', LOCAL_MODEL),
    params: { trainingHash: model.trainingHash.slice(0, 16), trainingSize: model.trainingSize },
    price: { inputPerMTok: 0, outputPerMTok: 0 },
    async classify(request: ClassifyRequest): Promise<ClassifyResult> {
      const started = performance.now();
      const r = model.classify(request.text);
      const confidence = r.probabilities[r.label]!;
      const rationale =
        r.strongestTerms.length > 0
          ? `Local baseline: ${r.label} (p=${confidence.toFixed(2)}); strongest terms: ${r.strongestTerms.join(', ')}.`
          : `Local baseline: ${r.label} (p=${confidence.toFixed(2)}); no term in the text was seen in training, so this is close to a guess.`;
      const output = { label: r.label, stance: r.stance, themes: r.themes, confidence, rationale, evidence: r.evidence, substantive: true };
      return {
        ok: true,
        output,
        tokensIn: null,
        tokensOut: null,
        latencyMs: Math.round(performance.now() - started),
        requestId: null,
        rawResponse: JSON.stringify({ ...output, probabilities: r.probabilities }),
        params: {},
      };
    },
  };
}

/**
 * The local baseline trained on explicit examples (plus the codebook's own), as a Provider.
 * The evals runner uses it for cross-validation: train on folds, score the held-out items.
 */
export function trainLocalBaseline(codebook: CodebookDefinition, examples: TrainingExample[], options: TrainOptions = {}): Provider {
  return localProviderFromModel(trainLocalModel(codebook, examples, options));
}
