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
  /** Called after every gradient-descent iteration of every model, with iterations done and in all. */
  onProgress?: (done: number, total: number) => void;
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
  idf: Float64Array = new Float64Array(0);

  static restore(words: string[], idf: Float64Array): Vectorizer {
    const v = new Vectorizer();
    words.forEach((w, i) => v.vocab.set(w, i));
    v.idf = idf;
    return v;
  }

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
  fit(xs: SparseVector[], ys: number[], l2: number, iterations: number, onIteration?: () => void): void {
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
      onIteration?.();
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
  /** The trained weights as a self-describing artefact (see deserializeLocalModel). */
  serialize(): Buffer;
}

function codebookExamples(cb: CodebookDefinition): { label: TrainingExample[]; themes: { text: string; themes: string[] }[] } {
  const label: TrainingExample[] = cb.labels.flatMap((l) => l.examples.map((text) => ({ text, label: l.id })));
  for (const e of cb.examples ?? []) label.push({ text: e.text, label: e.label, stance: e.stance, themes: e.themes });
  // A theme's name and definition are its most reliable description when no reviewed item has it yet.
  const themes = cb.themes.map((t) => ({ text: `${t.name}. ${t.definition}`, themes: [t.id] }));
  return { label, themes };
}

/** sha256 over the training examples and options: which training produced a model. */
export function trainingHashOf(examples: TrainingExample[], options: TrainOptions = {}): string {
  return createHash('sha256')
    .update(JSON.stringify([examples.map((e) => [e.text, e.label, e.stance ?? null, e.themes ?? []]), options.includeCodebookExamples !== false, options.l2 ?? 0.01, options.iterations ?? 200]))
    .digest('hex');
}

/** Everything a trained baseline is: what the artefact stores. */
interface Trained {
  vec: Vectorizer;
  label: Softmax;
  stance: Softmax | null;
  /** One per codebook theme, null for a theme with no example. */
  themes: (Softmax | null)[];
  trainingSize: number;
  trainingHash: string;
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

  const stanceValues = stanceValuesOf(codebook);
  const withStance = labelled.filter((e) => typeof e.stance === 'number' && e.stance >= codebook.stance.min && e.stance <= codebook.stance.max);
  const themeXs = themeTexts.map((e) => vec.transform(tok(e.text)));
  const themeYs = codebook.themes.map((t) => themeTexts.map((e) => (e.themes.includes(t.id) ? 1 : 0)));
  const models = 1 + (withStance.length > 0 ? 1 : 0) + themeYs.filter((ys) => ys.includes(1)).length;
  let done = 0;
  const onIteration = options.onProgress ? () => options.onProgress!(++done, models * iterations) : undefined;

  const labelModel = new Softmax(labelIds.length, dims);
  labelModel.fit(
    labelled.map((e) => vec.transform(tok(e.text))),
    labelled.map((e) => labelIds.indexOf(e.label)),
    l2,
    iterations,
    onIteration,
  );

  const stanceModel = withStance.length > 0 ? new Softmax(stanceValues.length, dims) : null;
  stanceModel?.fit(
    withStance.map((e) => vec.transform(tok(e.text))),
    withStance.map((e) => stanceValues.indexOf(e.stance!)),
    l2,
    iterations,
    onIteration,
  );

  const themeModels = themeYs.map((ys) => {
    if (!ys.includes(1)) return null;
    const m = new Softmax(2, dims);
    m.fit(themeXs, ys, l2, iterations, onIteration);
    return m;
  });

  return modelOf(codebook, { vec, label: labelModel, stance: stanceModel, themes: themeModels, trainingSize: labelled.length, trainingHash: trainingHashOf(examples, options) });
}

function stanceValuesOf(codebook: CodebookDefinition): number[] {
  const values: number[] = [];
  for (let v = codebook.stance.min; v <= codebook.stance.max; v++) values.push(v);
  return values;
}

const ARTIFACT_FORMAT = 'framescope-local-baseline';

interface ArtifactHeader {
  format: typeof ARTIFACT_FORMAT;
  version: 1;
  labels: string[];
  stanceValues: number[];
  /** Theme ids in codebook order; false where the theme has no model. */
  themes: (string | false)[];
  hasStance: boolean;
  words: string[];
  trainingSize: number;
  trainingHash: string;
}

/**
 * Artefact layout: a 4-byte little-endian header length, the JSON header, then float64 arrays
 * (idf, then per model its weights row by row and its biases) in the order of the header.
 */
function serialize(codebook: CodebookDefinition, t: Trained): Buffer {
  const header: ArtifactHeader = {
    format: ARTIFACT_FORMAT,
    version: 1,
    labels: codebook.labels.map((l) => l.id),
    stanceValues: stanceValuesOf(codebook),
    themes: codebook.themes.map((th, i) => (t.themes[i] ? th.id : false)),
    hasStance: t.stance !== null,
    words: [...t.vec.vocab.keys()],
    trainingSize: t.trainingSize,
    trainingHash: t.trainingHash,
  };
  const models = [t.label, ...(t.stance ? [t.stance] : []), ...t.themes.filter((m): m is Softmax => m !== null)];
  const arrays = [t.vec.idf, ...models.flatMap((m) => [...m.weights, m.bias])];
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  // The float data starts on an 8-byte boundary so it can be read as a Float64Array in place.
  const dataStart = Math.ceil((4 + json.length) / 8) * 8;
  const out = Buffer.alloc(dataStart + arrays.reduce((n, a) => n + a.byteLength, 0));
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let offset = dataStart;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, offset);
    offset += a.byteLength;
  }
  return out;
}

/**
 * Restores a model from `serialize()`'s artefact; it answers exactly as the model that was
 * saved. Refuses an artefact made for another codebook's labels, stance scale or themes.
 */
export function deserializeLocalModel(codebook: CodebookDefinition, artifact: Uint8Array): LocalBaselineModel {
  const buf = Buffer.from(artifact.buffer, artifact.byteOffset, artifact.byteLength);
  const headerLength = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as ArtifactHeader;
  if (header.format !== ARTIFACT_FORMAT || header.version !== 1) throw new Error(`not a local baseline artefact (format ${String(header.format)} ${String(header.version)})`);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(header.labels, codebook.labels.map((l) => l.id)) || !same(header.stanceValues, stanceValuesOf(codebook)) || header.themes.length !== codebook.themes.length || header.themes.some((id, i) => id !== false && id !== codebook.themes[i]!.id)) {
    throw new Error('the stored local baseline was trained for another codebook');
  }
  const dims = header.words.length;
  const data = new Float64Array(buf.buffer.slice(buf.byteOffset + Math.ceil((4 + headerLength) / 8) * 8, buf.byteOffset + buf.byteLength));
  let offset = 0;
  const take = (n: number) => data.slice(offset, (offset += n));
  const vec = Vectorizer.restore(header.words, take(dims));
  const restore = (classes: number) => {
    const m = new Softmax(classes, dims);
    for (let k = 0; k < classes; k++) m.weights[k]!.set(take(dims));
    m.bias.set(take(classes));
    return m;
  };
  const label = restore(header.labels.length);
  const stance = header.hasStance ? restore(header.stanceValues.length) : null;
  const themes = header.themes.map((id) => (id === false ? null : restore(2)));
  return modelOf(codebook, { vec, label, stance, themes, trainingSize: header.trainingSize, trainingHash: header.trainingHash });
}

function modelOf(codebook: CodebookDefinition, t: Trained): LocalBaselineModel {
  const { vec, label: labelModel, stance: stanceModel, themes: themeModels } = t;
  const labelIds = codebook.labels.map((l) => l.id);
  const stanceValues = stanceValuesOf(codebook);
  const neutralStance = Math.round((codebook.stance.min + codebook.stance.max) / 2);
  const words = [...vec.vocab.keys()];
  return {
    codebook,
    trainingSize: t.trainingSize,
    trainingHash: t.trainingHash,
    serialize: () => serialize(codebook, t),
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

/**
 * Wraps a trained model as a Provider (provider `local`). `version` names it in provenance: a
 * stored model's own version (api/training/store.ts), or the family name for a model trained
 * on the spot (the evals' cross-validation folds).
 */
export function localProviderFromModel(model: LocalBaselineModel, version = LOCAL_MODEL): Provider {
  return {
    name: 'local',
    model: version,
    displayName: providerLabel('local', version),
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
