import { Clusters, type Link } from './clusters.ts';
import { cosine, documentFrequencies, termCounts, topTerms, vectorOf, type FeatureVector, type TermCounts } from './features.ts';

/**
 * Story grouping: documents that report the same event, found by the cosine similarity of their
 * title-and-lead TF-IDF vectors (features.ts) within a time window, then linked into clusters
 * (clusters.ts) strongest pair first.
 *
 * Candidate pairs come from an inverted index, not from all pairs: each document is keyed under
 * its INDEX_TERMS heaviest terms that another document has too (names, places, rare bigrams:
 * what an event's reports share),
 * and two documents are compared only when they share at least MIN_SHARED of those keys and were
 * published at most `windowDays` apart. A key held by more than MAX_POSTINGS documents of one
 * window says nothing about which event a text reports and is skipped.
 */

/** Terms each document is indexed under. */
export const INDEX_TERMS = 10;
/** Index keys two documents must share to be compared. */
export const MIN_SHARED = 2;
/** Documents of one window sharing a key beyond which the key is skipped. */
export const MAX_POSTINGS = 1_000;

/** One document as grouping reads it. */
export interface GroupingDocument {
  id: number;
  sourceId: number;
  /** Days since 1970-01-01 of its publication date; null: undated (never compared). */
  day: number | null;
  title: string;
  /** Its first passages. */
  lead: string;
  /** The original of which it is a syndicated copy (it joins the original's story), or null. */
  duplicateOf: number | null;
}

/** What the borderline check answers for a pair: same event, not, or no usable answer (the local decision stands). */
export type CheckAnswer = { kind: 'yes' | 'no'; reason: string } | { kind: 'failed'; reason: string };

export interface GroupingOptions {
  /** Days two reports of one event may lie apart (and a machine story may span). */
  windowDays: number;
  /** Cosine similarity (0..1) at or above which two documents are linked. */
  threshold: number;
  /**
   * With a check: pairs within `margin` of the threshold (either side) are asked, the rest
   * decided by the threshold alone.
   */
  check?: { ask: (a: GroupingDocument, b: GroupingDocument, similarity: number) => Promise<CheckAnswer>; margin: number; maxChecks: number };
  /** Stories a person edited: kept, never merged with each other, may gain new documents. */
  edited?: readonly { storyId: number; documentIds: readonly number[] }[];
  /** documentId → stories a person took it out of. */
  removals?: ReadonlyMap<number, readonly number[]>;
  /** Called between steps: progress, and the place to stop (throw) when cancelled. */
  onProgress?: (p: { phase: 'reading' | 'comparing' | 'checking' | 'linking'; done: number; total: number }) => Promise<void>;
}

/** One story the grouping found (or an edited story with the documents it keeps and gains). */
export interface FoundStory {
  /** The edited story this is, or null for a machine story. */
  editedStoryId: number | null;
  members: { documentId: number; link: Link | null }[];
}

export interface GroupingStats {
  documents: number;
  undated: number;
  copies: number;
  /** Pairs whose cosine was computed (the candidates), and how many reached the lower cut. */
  compared: number;
  similarPairs: number;
  checks: { asked: number; yes: number; no: number; failed: number; skippedOverLimit: number };
  /** Every pair the check was asked about (the first MAX_CHECK_RECORDS): its answer and what was decided. */
  checked: CheckRecord[];
  stories: number;
}

/** One asked pair: documents, cosine, the answer or why there was none, and whether they were linked. */
export interface CheckRecord {
  a: number;
  b: number;
  similarity: number;
  answer: 'yes' | 'no' | 'failed';
  reason: string;
  linked: boolean;
}

/** Check records a job result keeps at most. */
export const MAX_CHECK_RECORDS = 500;

/** The lowest similarity that can link: the threshold, or the bottom of the checked band. */
const lowerCut = (o: GroupingOptions) => (o.check ? Math.max(0, o.threshold - o.check.margin) : o.threshold);

interface Edge {
  a: number;
  b: number;
  similarity: number;
}

/** Candidate pairs of the dated originals (indices into `docs`, sorted by day) with their cosine, at or above the lower cut. */
async function similarPairs(docs: readonly GroupingDocument[], vectors: readonly FeatureVector[], o: GroupingOptions, stats: GroupingStats): Promise<Edge[]> {
  const keys = vectors.map((v) => topTerms(v, INDEX_TERMS));
  const postings = new Map<number, number[]>();
  keys.forEach((terms, i) => {
    for (const t of terms) {
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }
  });
  const days = docs.map((d) => d.day!);
  const cut = lowerCut(o);
  const edges: Edge[] = [];
  const shared = new Map<number, number>();
  for (let i = 0; i < docs.length; i++) {
    shared.clear();
    for (const t of keys[i]!) {
      const list = postings.get(t)!;
      // The list is in document order, which is day order: the window is one contiguous run after i.
      let lo = upperIndex(list, i);
      let hi = lo;
      while (hi < list.length && days[list[hi]!]! - days[i]! <= o.windowDays) hi++;
      if (hi - lo > MAX_POSTINGS) continue;
      for (; lo < hi; lo++) shared.set(list[lo]!, (shared.get(list[lo]!) ?? 0) + 1);
    }
    const needed = Math.min(MIN_SHARED, keys[i]!.length);
    for (const [j, n] of shared) {
      if (n < Math.min(needed, keys[j]!.length)) continue;
      stats.compared++;
      const similarity = cosine(vectors[i]!, vectors[j]!);
      if (similarity >= cut) edges.push({ a: i, b: j, similarity });
    }
    if (i % 500 === 499) await o.onProgress?.({ phase: 'comparing', done: i + 1, total: docs.length });
  }
  stats.similarPairs = edges.length;
  return edges.sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b);
}

/** First position in the ascending list holding a value greater than x. */
function upperIndex(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Groups documents into stories. Edited stories are put together first, then pairs are linked
 * strongest first (strong pairs before checked ones), then syndicated copies join their
 * original's story. A machine story needs two documents from at least two sources.
 */
export async function groupStories(all: readonly GroupingDocument[], o: GroupingOptions): Promise<{ stories: FoundStory[]; stats: GroupingStats }> {
  const stats: GroupingStats = { documents: all.length, undated: 0, copies: 0, compared: 0, similarPairs: 0, checks: { asked: 0, yes: 0, no: 0, failed: 0, skippedOverLimit: 0 }, checked: [], stories: 0 };
  const byId = new Map(all.map((d) => [d.id, d]));
  const originals = all.filter((d) => d.duplicateOf === null || !byId.has(d.duplicateOf));
  stats.copies = all.length - originals.length;
  const dated = originals.filter((d) => d.day !== null).sort((x, y) => x.day! - y.day! || x.id - y.id);
  stats.undated = originals.length - dated.length;

  // Nodes: the dated originals first (so an edge's indices are node numbers), then everything else.
  const nodeOf = new Map<number, number>();
  const nodes: GroupingDocument[] = [...dated];
  for (const d of nodes) nodeOf.set(d.id, nodeOf.size);
  for (const d of all) if (!nodeOf.has(d.id)) nodeOf.set(d.id, nodes.push(d) - 1);

  const lockedOf = new Map<number, number>();
  for (const s of o.edited ?? []) for (const id of s.documentIds) lockedOf.set(id, s.storyId);
  const clusters = new Clusters(nodes.length, o.windowDays);
  nodes.forEach((d, n) => clusters.init(n, d.day, lockedOf.get(d.id) ?? null, o.removals?.get(d.id) ?? []));
  for (const s of o.edited ?? []) {
    const ids = s.documentIds.filter((id) => nodeOf.has(id));
    for (let k = 1; k < ids.length; k++) clusters.join(nodeOf.get(ids[0]!)!, nodeOf.get(ids[k]!)!);
  }

  const counts: TermCounts[] = [];
  for (const d of dated) {
    if (counts.length % 2_000 === 0) await o.onProgress?.({ phase: 'reading', done: counts.length, total: dated.length });
    counts.push(termCounts(d.title, d.lead));
  }
  const df = documentFrequencies(counts);
  const vectors = counts.map((c) => vectorOf(c, df, dated.length));
  await o.onProgress?.({ phase: 'comparing', done: 0, total: dated.length });
  const edges = await similarPairs(dated, vectors, o, stats);

  const strongCut = o.check ? o.threshold + o.check.margin : o.threshold;
  const strong = edges.filter((e) => e.similarity >= strongCut);
  await o.onProgress?.({ phase: 'linking', done: 0, total: edges.length });
  for (const e of strong) clusters.link(e.a, e.b, { method: 'similarity', similarity: round(e.similarity), note: null });
  if (o.check) await checkBorderline(edges.slice(strong.length), dated, clusters, o, stats);

  for (const d of all) {
    if (d.duplicateOf === null || !nodeOf.has(d.duplicateOf) || lockedOf.has(d.id)) continue;
    clusters.link(nodeOf.get(d.id)!, nodeOf.get(d.duplicateOf)!, { method: 'syndicated', similarity: null, note: null });
  }

  const members = new Map<number, number[]>();
  nodes.forEach((_, n) => {
    const r = clusters.find(n);
    const list = members.get(r);
    if (list) list.push(n);
    else members.set(r, [n]);
  });
  const stories: FoundStory[] = [];
  for (const list of members.values()) {
    const editedStoryId = clusters.lockedStory(list[0]!);
    if (editedStoryId === null && (list.length < 2 || new Set(list.map((n) => nodes[n]!.sourceId)).size < 2)) continue;
    stories.push({ editedStoryId, members: list.map((n) => ({ documentId: nodes[n]!.id, link: clusters.links[n] ?? null })) });
  }
  stats.stories = stories.filter((s) => s.editedStoryId === null).length;
  return { stories, stats };
}

/** Asks the check about the borderline pairs (strongest first) whose clusters could still join; a failed answer leaves the threshold's decision. */
async function checkBorderline(edges: readonly Edge[], docs: readonly GroupingDocument[], clusters: Clusters, o: GroupingOptions, stats: GroupingStats): Promise<void> {
  const check = o.check!;
  let done = 0;
  for (const e of edges) {
    done++;
    if (!clusters.canJoin(e.a, e.b)) continue;
    const similarity = round(e.similarity);
    const local = e.similarity >= o.threshold;
    if (stats.checks.asked >= check.maxChecks) {
      stats.checks.skippedOverLimit++;
      if (local) clusters.link(e.a, e.b, { method: 'similarity', similarity, note: `check limit (${check.maxChecks}) reached: linked by the threshold` });
      continue;
    }
    stats.checks.asked++;
    await o.onProgress?.({ phase: 'checking', done, total: edges.length });
    const answer = await check.ask(docs[e.a]!, docs[e.b]!, e.similarity);
    let linked = false;
    if (answer.kind === 'yes') {
      stats.checks.yes++;
      linked = clusters.link(e.a, e.b, { method: 'llm', similarity, note: `check: same event (${answer.reason})` });
    } else if (answer.kind === 'no') {
      stats.checks.no++;
    } else {
      stats.checks.failed++;
      if (local) linked = clusters.link(e.a, e.b, { method: 'similarity', similarity, note: `check failed (${answer.reason}): linked by the threshold` });
    }
    if (stats.checked.length < MAX_CHECK_RECORDS) stats.checked.push({ a: docs[e.a]!.id, b: docs[e.b]!.id, similarity, answer: answer.kind, reason: answer.reason, linked });
  }
}
