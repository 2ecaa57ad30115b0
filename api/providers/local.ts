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
 * is a one-vs-rest binary logistic regression. Confidence is the label model's probability,
 * temperature-scaled on out-of-fold human decisions once there are 30 (see Calibration).
 * The stance is the most probable value whose sign agrees with the label's (a label's sign is
 * the mean stance of its examples: no "integrationist, stance -2"). A document is read through
 * its passages that are not excluded: label and stance probabilities are their length-weighted
 * mean, its themes the union of theirs, its evidence only from them. Evidence is the sentences
 * whose words push hardest toward the chosen label; the rationale names the strongest terms.
 * It is always shown as "local baseline", never as an LLM.
 */

export const LOCAL_MODEL = 'local-baseline-v2';

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
  /** Fit the confidence's temperature on out-of-fold human examples when there are enough (default true). */
  calibrate?: boolean;
}

/** How well the label's confidence matched held-out human decisions, and the temperature fitted to them. */
export interface Calibration {
  /** Human examples scored out of fold (each by a label model that did not learn from it). */
  examples: number;
  /** The label model's scores are divided by this before the softmax (above 1 softens, below 1 sharpens). */
  temperature: number;
  /** Expected calibration error (10 equal-width confidence bins) of the out-of-fold confidences, before and after. */
  eceBefore: number;
  eceAfter: number;
  /** Out-of-fold accuracy of the label. */
  accuracy: number;
}

/** Folds for the out-of-fold confidences, and the fewest human examples worth calibrating on. */
const CALIBRATION_FOLDS = 3;
const CALIBRATION_MIN_EXAMPLES = 30;
const ECE_BINS = 10;

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

  /** Class probabilities; `temperature` divides the scores first (calibration). */
  predict(x: SparseVector, temperature = 1): Float64Array {
    const s = this.scores(x);
    if (temperature !== 1) for (let k = 0; k < s.length; k++) s[k]! /= temperature;
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

/** A span of a text: offsets (UTF-16 code units), end exclusive. */
export interface TextSpan {
  start: number;
  end: number;
}
type Sentence = TextSpan;

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

function softmaxOf(z: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v / temperature);
  const p = Float64Array.from(z, (v) => Math.exp(v / temperature - max));
  const sum = p.reduce((a, b) => a + b, 0);
  for (let k = 0; k < p.length; k++) p[k]! /= sum;
  return p;
}

/** Expected calibration error of top-label confidences: the bins' |accuracy - mean confidence|, weighted by their share. */
export function expectedCalibrationError(answers: readonly { confidence: number; correct: boolean }[], bins = ECE_BINS): number {
  if (answers.length === 0) return 0;
  const sums = Array.from({ length: bins }, () => ({ n: 0, conf: 0, right: 0 }));
  for (const a of answers) {
    const b = sums[Math.min(bins - 1, Math.floor(a.confidence * bins))]!;
    b.n++;
    b.conf += a.confidence;
    b.right += a.correct ? 1 : 0;
  }
  return sums.reduce((e, b) => e + (b.n === 0 ? 0 : (b.n / answers.length) * Math.abs(b.right / b.n - b.conf / b.n)), 0);
}

/**
 * Temperature scaling: the temperature (on a log grid from 0.05 to 20) that minimises the
 * log loss of out-of-fold label scores, with the ECE before and after.
 */
export function fitTemperature(oof: readonly { scores: Float64Array; y: number }[]): Calibration {
  const answersAt = (t: number) =>
    oof.map(({ scores, y }) => {
      const p = softmaxOf(scores, t);
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
      return { confidence: p[best]!, correct: best === y, logLoss: -Math.log(Math.max(1e-12, p[y]!)) };
    });
  let temperature = 1;
  let bestLoss = Infinity;
  for (let i = 0; i <= 80; i++) {
    const t = Math.exp(Math.log(0.05) + (i / 80) * (Math.log(20) - Math.log(0.05)));
    const loss = answersAt(t).reduce((n, a) => n + a.logLoss, 0);
    if (loss < bestLoss) [bestLoss, temperature] = [loss, t];
  }
  const before = answersAt(1);
  return {
    examples: oof.length,
    temperature,
    eceBefore: expectedCalibrationError(before),
    eceAfter: expectedCalibrationError(answersAt(temperature)),
    accuracy: before.filter((a) => a.correct).length / Math.max(1, oof.length),
  };
}

/** The trained baseline's models, exposed for the provider and for inspection in tests. */
export interface LocalBaselineModel {
  codebook: CodebookDefinition;
  trainingSize: number;
  /** sha256 over the training examples: which model produced a suggestion. */
  trainingHash: string;
  /** `passages`: the spans of `text` to read (a document's passages that are not excluded); absent, the whole text. */
  classify(text: string, passages?: readonly TextSpan[]): { label: string; probabilities: Record<string, number>; stance: number; themes: string[]; evidence: RawEvidence[]; strongestTerms: string[] };
  /** The trained weights as a self-describing artefact (see deserializeLocalModel). */
  serialize(): Buffer;
  /** The confidence's calibration on out-of-fold human decisions, or null when too few were there. */
  calibration: Calibration | null;
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
    .update(JSON.stringify([examples.map((e) => [e.text, e.label, e.stance ?? null, e.themes ?? []]), options.includeCodebookExamples !== false, options.l2 ?? 0.01, options.iterations ?? 200, options.calibrate !== false]))
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
  /** The stance sign each label implies, learnt with the model. */
  labelSigns: Record<string, Sign>;
  calibration: Calibration | null;
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
  const human = examples.filter((e) => labelIds.includes(e.label));
  const calibrating = options.calibrate !== false && human.length >= CALIBRATION_MIN_EXAMPLES;
  const models = 1 + (withStance.length > 0 ? 1 : 0) + themeYs.filter((ys) => ys.includes(1)).length + (calibrating ? CALIBRATION_FOLDS : 0);
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

  // Out-of-fold scores of the human examples: each fold's label model never saw them.
  let calibration: Calibration | null = null;
  if (calibrating) {
    const oof: { scores: Float64Array; y: number }[] = [];
    for (let f = 0; f < CALIBRATION_FOLDS; f++) {
      const train = [...fromBook.label, ...human.filter((_, i) => i % CALIBRATION_FOLDS !== f)];
      const m = new Softmax(labelIds.length, dims);
      m.fit(
        train.map((e) => vec.transform(tok(e.text))),
        train.map((e) => labelIds.indexOf(e.label)),
        l2,
        iterations,
        onIteration,
      );
      human.forEach((e, i) => {
        if (i % CALIBRATION_FOLDS === f) oof.push({ scores: m.scores(vec.transform(tok(e.text))), y: labelIds.indexOf(e.label) });
      });
    }
    calibration = fitTemperature(oof);
  }

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

  const labelSigns = Object.fromEntries(labelStanceSigns(codebook, labelled));
  return modelOf(codebook, { vec, label: labelModel, stance: stanceModel, themes: themeModels, trainingSize: labelled.length, trainingHash: trainingHashOf(examples, options), labelSigns, calibration });
}

/** The stance sign a label implies: -1, 0 (no lean) or 1. */
type Sign = -1 | 0 | 1;

/**
 * The stance sign each label implies: the sign of the mean stance of its examples (the
 * codebook's, and the reviewed ones a model learns from), 0 when they do not lean by a quarter
 * of the scale or have no stance. A stance of the other sign contradicts the label.
 */
export function labelStanceSigns(codebook: CodebookDefinition, examples: readonly { label: string; stance?: number | null }[] = codebook.examples ?? []): Map<string, Sign> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const e of examples) {
    if (typeof e.stance !== 'number') continue;
    const s = sums.get(e.label) ?? { sum: 0, n: 0 };
    sums.set(e.label, { sum: s.sum + e.stance, n: s.n + 1 });
  }
  const range = Math.max(1, (codebook.stance.max - codebook.stance.min) / 2);
  const mid = (codebook.stance.max + codebook.stance.min) / 2;
  return new Map(
    codebook.labels.map((l) => {
      const s = sums.get(l.id);
      const lean = s ? (s.sum / s.n - mid) / range : 0;
      return [l.id, (lean >= 0.25 ? 1 : lean <= -0.25 ? -1 : 0) as Sign];
    }),
  );
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
  /** Absent in artefacts stored before labels had signs: then the codebook's examples decide. */
  labelSigns?: Record<string, Sign>;
  calibration?: Calibration | null;
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
    labelSigns: t.labelSigns,
    calibration: t.calibration,
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
  const labelSigns = header.labelSigns ?? Object.fromEntries(labelStanceSigns(codebook));
  return modelOf(codebook, { vec, label, stance, themes, trainingSize: header.trainingSize, trainingHash: header.trainingHash, labelSigns, calibration: header.calibration ?? null });
}

function modelOf(codebook: CodebookDefinition, t: Trained): LocalBaselineModel {
  const { vec, label: labelModel, stance: stanceModel, themes: themeModels } = t;
  const labelIds = codebook.labels.map((l) => l.id);
  const stanceValues = stanceValuesOf(codebook);
  const neutralStance = Math.round((codebook.stance.min + codebook.stance.max) / 2);
  const words = [...vec.vocab.keys()];
  const signs = new Map(Object.entries(t.labelSigns));
  const temperature = t.calibration?.temperature ?? 1;
  return {
    codebook,
    trainingSize: t.trainingSize,
    trainingHash: t.trainingHash,
    serialize: () => serialize(codebook, t),
    calibration: t.calibration,
    classify(text, passages) {
      // The spans read: a document's passages that are not excluded, else the whole text.
      const spans = passages && passages.length > 0 ? passages.filter((s) => s.end > s.start) : [{ start: 0, end: text.length }];
      const p = new Float64Array(labelIds.length);
      const ps = new Float64Array(stanceValues.length);
      const themeWeight = new Map<string, number>();
      const xs: SparseVector[] = [];
      let total = 0;
      for (const span of spans) {
        const tokens = tokenize(text.slice(span.start, span.end));
        const x = vec.transform(tokens);
        xs.push(x);
        // Longer passages say more: each weighs by its word count (at least 1).
        const w = Math.max(1, tokens.length);
        total += w;
        const pl = labelModel.predict(x, temperature);
        for (let k = 0; k < p.length; k++) p[k]! += w * pl[k]!;
        if (stanceModel) {
          const pv = stanceModel.predict(x);
          for (let k = 0; k < ps.length; k++) ps[k]! += w * pv[k]!;
        }
        codebook.themes.forEach((t, i) => {
          if ((themeModels[i]?.predict(x)[1] ?? 0) >= 0.5) themeWeight.set(t.id, (themeWeight.get(t.id) ?? 0) + w);
        });
      }
      for (let k = 0; k < p.length; k++) p[k]! /= total;
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
      const sign = signs.get(labelIds[best]!) ?? 0;
      let stance = neutralStance;
      if (stanceModel) {
        // The most probable stance value whose sign does not contradict the label's: the
        // expected value of a weakly trained model sits near the middle of the scale whatever the text says.
        let top = -1;
        for (let k = 0; k < ps.length; k++) {
          const v = stanceValues[k]! - neutralStance;
          if (sign !== 0 && v !== 0 && Math.sign(v) !== sign) continue;
          if (top < 0 || ps[k]! > ps[top]!) top = k;
        }
        if (top >= 0) stance = stanceValues[top]!;
      }
      // Document themes are the union of its passages' themes, most widespread first.
      const themes = [...themeWeight.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);

      // A term's pull toward the chosen label: its weight there minus its mean weight elsewhere.
      const pull = (featureIndex: number) => {
        let others = 0;
        for (let k = 0; k < labelIds.length; k++) if (k !== best) others += labelModel.weights[k]![featureIndex]!;
        return labelModel.weights[best]![featureIndex]! - others / Math.max(1, labelIds.length - 1);
      };
      const termScore = new Map<number, number>();
      for (const x of xs) for (let j = 0; j < x.idx.length; j++) termScore.set(x.idx[j]!, Math.max(termScore.get(x.idx[j]!) ?? 0, x.val[j]! * pull(x.idx[j]!)));
      const strongestTerms = [...termScore.entries()]
        .filter(([, v]) => v > 0)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([i]) => words[i]!);

      // Evidence only from the spans read: never from excluded boilerplate.
      const scored = spans.flatMap((span) =>
        sentenceSpans(text.slice(span.start, span.end)).map((s) => {
          let score = 0;
          for (const t of tokenize(text.slice(span.start + s.start, span.start + s.end))) {
            const i = vec.vocab.get(t);
            if (i !== undefined) score += vec.idf[i]! * pull(i);
          }
          return { start: span.start + s.start, end: span.start + s.end, score };
        }),
      );
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
      const r = model.classify(request.text, request.level === 'document' ? request.passages : undefined);
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
