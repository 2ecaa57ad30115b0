/**
 * Classification metrics for scoring model Suggestions against gold labels. Pure functions over
 * plain arrays. Like agreement.ts, a statistic undefined for its input (no items, no variation)
 * returns NaN so the caller can show "not enough data" instead of a made-up number.
 * A null prediction means the model gave no usable answer: it counts as wrong for accuracy and
 * recall, and is reported separately in the confusion matrix.
 */

/** Counts of gold (rows) against predicted (columns) labels, in `labels` order. */
export interface ConfusionMatrix {
  labels: string[];
  /** matrix[g][p] = items whose gold label is labels[g] and prediction labels[p]. */
  matrix: number[][];
  /** Per gold label, items with no usable prediction. */
  unanswered: number[];
}

/** Precision, recall and F1 for one label, with its gold support. */
export interface LabelScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Gold items with this label. */
  support: number;
  /** Items predicted with this label. */
  predicted: number;
}

/** One confidence bin of a reliability table. */
export interface ReliabilityBin {
  /** Bin bounds on confidence, [low, high) except the last bin which includes 1. */
  low: number;
  high: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

function sameLength(a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: gold has ${a.length} items but predictions have ${b.length}`);
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
const f1Of = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Confusion matrix of gold against predicted labels; labels outside `labels` are rejected. */
export function confusionMatrix(gold: readonly string[], predicted: readonly (string | null)[], labels: readonly string[]): ConfusionMatrix {
  sameLength(gold, predicted, 'confusionMatrix');
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  const unanswered = labels.map(() => 0);
  gold.forEach((g, i) => {
    const gi = index.get(g);
    if (gi === undefined) throw new RangeError(`confusionMatrix: gold label "${g}" is not one of ${labels.join(', ')}`);
    const p = predicted[i] ?? null;
    if (p === null) {
      unanswered[gi]! += 1;
      return;
    }
    const pi = index.get(p);
    if (pi === undefined) throw new RangeError(`confusionMatrix: predicted label "${p}" is not one of ${labels.join(', ')}`);
    matrix[gi]![pi]! += 1;
  });
  return { labels: [...labels], matrix, unanswered };
}

/** Share of items whose prediction equals the gold label (0..1); NaN for no items. */
export function accuracy(gold: readonly string[], predicted: readonly (string | null)[]): number {
  sameLength(gold, predicted, 'accuracy');
  if (gold.length === 0) return Number.NaN;
  return gold.filter((g, i) => predicted[i] === g).length / gold.length;
}

/**
 * Per-label precision, recall and F1. A label never predicted has precision 0 (as in
 * scikit-learn's zero_division=0), a label with no gold items has recall 0.
 */
export function perLabelScores(gold: readonly string[], predicted: readonly (string | null)[], labels: readonly string[]): LabelScores[] {
  sameLength(gold, predicted, 'perLabelScores');
  return labels.map((label) => {
    let tp = 0;
    let support = 0;
    let predictedCount = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (g === label) support++;
      if (p === label) predictedCount++;
      if (g === label && p === label) tp++;
    });
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: f1Of(precision, recall), support, predicted: predictedCount };
  });
}

/**
 * Macro-averaged F1: the unweighted mean of per-label F1 over the labels that occur in gold or
 * in the predictions (a label absent from both says nothing about the classifier); NaN if none.
 */
export function macroF1(gold: readonly string[], predicted: readonly (string | null)[], labels: readonly string[]): number {
  const present = perLabelScores(gold, predicted, labels).filter((s) => s.support > 0 || s.predicted > 0);
  if (present.length === 0) return Number.NaN;
  return present.reduce((s, x) => s + x.f1, 0) / present.length;
}

/** Micro- and macro-averaged scores of a multilabel task (themes). */
export interface MultilabelScores {
  micro: { precision: number; recall: number; f1: number };
  /** Mean per-label F1 over labels present in gold or predictions; NaN if none. */
  macroF1: number;
  perLabel: LabelScores[];
}

/**
 * Multilabel precision/recall/F1: micro pools every (item, label) decision, macro averages the
 * per-label F1. A null prediction set (no usable answer) counts as predicting no labels.
 */
export function multilabelScores(
  gold: ReadonlyArray<readonly string[]>,
  predicted: ReadonlyArray<readonly string[] | null>,
  labels: readonly string[],
): MultilabelScores {
  sameLength(gold, predicted, 'multilabelScores');
  let tpAll = 0;
  let predAll = 0;
  let goldAll = 0;
  const perLabel = labels.map((label) => {
    let tp = 0;
    let support = 0;
    let predictedCount = 0;
    gold.forEach((g, i) => {
      const inGold = g.includes(label);
      const inPred = (predicted[i] ?? []).includes(label);
      if (inGold) support++;
      if (inPred) predictedCount++;
      if (inGold && inPred) tp++;
    });
    tpAll += tp;
    predAll += predictedCount;
    goldAll += support;
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: f1Of(precision, recall), support, predicted: predictedCount };
  });
  const precision = ratio(tpAll, predAll);
  const recall = ratio(tpAll, goldAll);
  const present = perLabel.filter((s) => s.support > 0 || s.predicted > 0);
  return {
    micro: { precision, recall, f1: f1Of(precision, recall) },
    macroF1: present.length === 0 ? Number.NaN : present.reduce((s, x) => s + x.f1, 0) / present.length,
    perLabel,
  };
}

/** Precision and recall of a binary flag (e.g. "this passage is excluded"), with counts. */
export function binaryScores(gold: readonly boolean[], predicted: readonly boolean[]): { precision: number; recall: number; f1: number; truePositives: number; predicted: number; support: number } {
  sameLength(gold, predicted, 'binaryScores');
  let tp = 0;
  let predictedCount = 0;
  let support = 0;
  gold.forEach((g, i) => {
    if (g) support++;
    if (predicted[i]) predictedCount++;
    if (g && predicted[i]) tp++;
  });
  const precision = predictedCount === 0 ? Number.NaN : tp / predictedCount;
  const recall = support === 0 ? Number.NaN : tp / support;
  return { precision, recall, f1: Number.isNaN(precision) || Number.isNaN(recall) ? Number.NaN : f1Of(precision, recall), truePositives: tp, predicted: predictedCount, support };
}

/** Mean absolute error between two numeric series; NaN for no items. */
export function meanAbsoluteError(gold: readonly number[], predicted: readonly number[]): number {
  sameLength(gold, predicted, 'meanAbsoluteError');
  if (gold.length === 0) return Number.NaN;
  return gold.reduce((s, g, i) => s + Math.abs(g - predicted[i]!), 0) / gold.length;
}

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman rank correlation (Pearson on average ranks, so ties are handled); NaN if either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  sameLength(a, b, 'spearman');
  return pearson(averageRanks(a), averageRanks(b));
}

/**
 * Reliability table and expected calibration error: confidences (0..1) split into `bins`
 * equal-width bins; ECE = Σ (count/n) · |accuracy − mean confidence| over non-empty bins.
 * Empty bins are kept in the table with NaN means so charts keep a fixed axis.
 */
export function calibration(confidence: readonly number[], correct: readonly boolean[], bins = 10): { bins: ReliabilityBin[]; ece: number } {
  sameLength(confidence, correct, 'calibration');
  const table = Array.from({ length: bins }, (_, b) => ({ low: b / bins, high: (b + 1) / bins, count: 0, sumConfidence: 0, sumCorrect: 0 }));
  confidence.forEach((c, i) => {
    if (!(c >= 0 && c <= 1)) throw new RangeError(`calibration: confidence ${c} is outside 0..1`);
    const b = Math.min(bins - 1, Math.floor(c * bins));
    const bin = table[b]!;
    bin.count++;
    bin.sumConfidence += c;
    bin.sumCorrect += correct[i] ? 1 : 0;
  });
  const n = confidence.length;
  let ece = 0;
  const out = table.map((bin) => {
    const meanConfidence = bin.count === 0 ? Number.NaN : bin.sumConfidence / bin.count;
    const acc = bin.count === 0 ? Number.NaN : bin.sumCorrect / bin.count;
    if (bin.count > 0) ece += (bin.count / n) * Math.abs(acc - meanConfidence);
    return { low: bin.low, high: bin.high, count: bin.count, meanConfidence, accuracy: acc };
  });
  return { bins: out, ece: n === 0 ? Number.NaN : ece };
}
