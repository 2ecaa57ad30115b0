import { words } from '../ingest/duplicates.ts';

/**
 * What a document is compared by: its title and lead (the first passages) as a TF-IDF vector
 * over word unigrams and bigrams, L2-normalised so a dot product is the cosine similarity.
 * Features are 32-bit hashes of the words, so 100,000 documents need no vocabulary table (a
 * collision merges two rare features, which moves a cosine by a hair).
 *
 * Written here rather than taken from a package: `natural`'s TfIdf scores every document for
 * each query term (all pairs at 100,000 documents) and keeps whole strings per term; what is
 * needed is these few lines plus the candidate index in grouping.ts.
 */

/** Words that say nothing about which event a text reports (English and a few common others). */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our out over own said same says she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your
   der die das und ist von mit den dem des ein eine le la les et des du un une est pour dans el los las y en del que por con`.split(/\s+/),
);

/** Title words count this many times: a headline names the event more densely than the lead. */
const TITLE_WEIGHT = 2;
/** Features kept per document (the largest weights): bounds memory at ~100,000 documents and drops the long tail that never decides a match. */
export const MAX_FEATURES = 80;

/**
 * FNV-1a of a string's UTF-16 code units, cut to 30 bits: a small integer, which V8 keeps
 * unboxed, so the maps keyed by it stay fast at millions of features.
 */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 2;
}

/** A document's term counts, compact: feature hashes ascending and how often each occurs (title words weighted). */
export interface TermCounts {
  terms: Uint32Array;
  counts: Float32Array;
}

/** Term counts of a text: content words (not stopwords, not single characters) and adjacent pairs of them. */
export function termCounts(title: string, lead: string): TermCounts {
  const counts = new Map<number, number>();
  const add = (text: string, weight: number) => {
    const kept = words(text).filter((w) => w.length > 1 && !STOPWORDS.has(w));
    for (let i = 0; i < kept.length; i++) {
      const u = hash(kept[i]!);
      counts.set(u, (counts.get(u) ?? 0) + weight);
      if (i > 0) {
        const b = hash(`${kept[i - 1]} ${kept[i]}`);
        counts.set(b, (counts.get(b) ?? 0) + weight);
      }
    }
  };
  add(title, TITLE_WEIGHT);
  add(lead, 1);
  const terms = Uint32Array.from(counts.keys()).sort();
  return { terms, counts: Float32Array.from(terms, (t) => counts.get(t)!) };
}

/** A sparse unit vector: feature hashes ascending and their weights. */
export interface FeatureVector {
  terms: Uint32Array;
  weights: Float32Array;
}

/** Document frequencies over a set of documents' term counts. */
export function documentFrequencies(all: readonly TermCounts[]): Map<number, number> {
  const df = new Map<number, number>();
  for (const { terms } of all) for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/**
 * The TF-IDF vector of one document: (1 + ln tf) · ln(1 + N / df), L2-normalised over all its
 * terms. Only terms another document has too are stored (a term of one document can match
 * nothing), the MAX_FEATURES heaviest of them: the cosine of two stored vectors is the full
 * TF-IDF cosine up to that cut. A term every document has still weighs a little (ln 2).
 */
export function vectorOf(doc: TermCounts, df: ReadonlyMap<number, number>, n: number): FeatureVector {
  const shared: [number, number][] = [];
  let squares = 0;
  for (let k = 0; k < doc.terms.length; k++) {
    const t = doc.terms[k]!;
    const d = df.get(t) ?? 1;
    const w = (1 + Math.log(doc.counts[k]!)) * Math.log(1 + n / d);
    squares += w * w;
    if (d >= 2) shared.push([t, w]);
  }
  shared.sort((x, y) => y[1] - x[1]);
  const kept = shared.slice(0, MAX_FEATURES).sort((x, y) => x[0] - y[0]);
  const norm = Math.sqrt(squares) || 1;
  return { terms: Uint32Array.from(kept, ([t]) => t), weights: Float32Array.from(kept, ([, w]) => w / norm) };
}

/** Cosine similarity of two unit vectors (0..1): a merge over their sorted terms. */
export function cosine(a: FeatureVector, b: FeatureVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const x = a.terms[i]!;
    const y = b.terms[j]!;
    if (x === y) dot += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return Math.min(1, dot);
}

/** The `k` heaviest stored terms of a vector (all shared with another document): what the candidate index keys a document under. */
export function topTerms(v: FeatureVector, k: number): number[] {
  const order = Array.from(v.terms.keys()).sort((x, y) => v.weights[y]! - v.weights[x]!);
  return order.slice(0, k).map((i) => v.terms[i]!);
}
