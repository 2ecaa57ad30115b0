import type Database from 'better-sqlite3';

/**
 * Syndicated copies across outlets. Each document's text becomes a set of word 5-shingles;
 * a MinHash signature of MINHASH_SIZE values summarises it, cut into BANDS bands of ROWS
 * values whose hashes go into `document_bands` (locality-sensitive hashing). Documents of other
 * sources sharing a band are candidates; a candidate is confirmed by the exact Jaccard
 * similarity of the two shingle sets, so the signature only has to find, never to decide.
 * With 10 bands of 3, a pair at similarity 0.7 shares a band with probability 0.985, at 0.8
 * with 0.9992, at 0.5 with 0.74 (then refused by the exact check), unrelated texts (~0) never.
 *
 * Written here rather than taken from a package: the MinHash packages on npm are unmaintained
 * playgrounds, and the algorithm is these few lines.
 */
export const SHINGLE_WORDS = 5;
export const BANDS = 10;
export const ROWS = 3;
export const MINHASH_SIZE = BANDS * ROWS;
/**
 * Shingle-set similarity at or above which two texts are copies of one another: a 55-word wire
 * story with one word changed and a credit line added scores 0.75; two different stories on
 * the same topic score near 0 (five words in a row rarely repeat by chance).
 */
export const NEAR_DUPLICATE_JACCARD = 0.7;
/** Texts shorter than this (words) are only matched when identical: short texts share shingles by chance. */
export const MIN_WORDS = 25;
/** Candidates checked per document at most (a boilerplate text shared by thousands must not stall an import). */
const MAX_CANDIDATES = 20;

/** 32-bit finaliser of MurmurHash3: spreads every input bit over the output. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string's UTF-16 code units. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lowercased words of a text (letters and digits; punctuation and spacing do not matter). */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** The distinct hashes of a text's word 5-shingles (a text shorter than 5 words is one shingle). */
export function shingles(text: string): Set<number> {
  const w = words(text).map(fnv);
  const out = new Set<number>();
  const n = Math.max(1, w.length - SHINGLE_WORDS + 1);
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9;
    for (let k = i; k < Math.min(i + SHINGLE_WORDS, w.length); k++) h = fmix(h ^ w[k]!);
    out.add(h);
  }
  return out;
}

const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => fmix(0x5bd1e995 + i * 0x27d4eb2d));

/**
 * Shingles a signature is computed from at most: copies share their opening, so the first
 * thousand find the candidates of a long text as well as all of them would, at a fraction of
 * the cost (the exact check still compares every shingle).
 */
export const SIGNATURE_SHINGLES = 1_000;

/** MinHash signature of a shingle set (its first SIGNATURE_SHINGLES): for each of MINHASH_SIZE hash functions, the least value. */
export function minhash(set: Set<number>): Uint32Array {
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  let taken = 0;
  for (const s of set) {
    if (taken++ === SIGNATURE_SHINGLES) break;
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const v = fmix(s ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** One key per band: a 52-bit hash of the band number and its ROWS values (exact in a JS number and a SQLite integer). */
export function bandKeys(sig: Uint32Array): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let lo = fmix(b + 1);
    let hi = fmix(~b);
    for (let r = 0; r < ROWS; r++) {
      const v = sig[b * ROWS + r]!;
      lo = fmix(lo ^ v);
      hi = fmix(hi ^ Math.imul(v, 0x9e3779b1));
    }
    keys.push((hi & 0xfffff) * 0x100000000 + lo);
  }
  return keys;
}

/** |a ∩ b| / |a ∪ b|. */
export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let both = 0;
  for (const x of small) if (large.has(x)) both++;
  return both / (a.size + b.size - both);
}

/** The band keys a text is indexed under (none for a text shorter than MIN_WORDS). */
export function bandKeysOf(text: string): number[] {
  return words(text).length >= MIN_WORDS ? bandKeys(minhash(shingles(text))) : [];
}

/** Removes a document's bands (before the document itself is deleted). */
export function removeBands(c: Database.Database, documentId: number, text: string): void {
  const del = c.prepare('DELETE FROM document_bands WHERE band_key = ? AND document_id = ?');
  for (const k of bandKeysOf(text)) del.run(k, documentId);
}

/** A confirmed copy: the original it copies and how similar they are. */
export interface DuplicateLink {
  of: number;
  similarity: number;
}

interface Statements {
  identical: Database.Statement;
  candidates: Database.Statement;
  textOf: Database.Statement;
  insertBand: Database.Statement;
}
const cache = new WeakMap<Database.Database, Statements>();

function statements(c: Database.Database): Statements {
  let s = cache.get(c);
  if (!s) {
    const keys = Array.from({ length: BANDS }, () => '?').join(', ');
    s = {
      identical: c.prepare('SELECT id, duplicate_of FROM documents WHERE content_hash = ? AND source_id <> ? ORDER BY id LIMIT 1').raw(),
      // A copy stands for its original: a cluster of a thousand copies is one candidate, checked once.
      candidates: c.prepare(
        `SELECT DISTINCT coalesce(d.duplicate_of, d.id) AS root FROM document_bands b JOIN documents d ON d.id = b.document_id
         WHERE b.band_key IN (${keys}) AND d.source_id <> ? ORDER BY root LIMIT ${MAX_CANDIDATES}`,
      ).pluck(),
      textOf: c.prepare('SELECT text FROM documents WHERE id = ?').pluck(),
      insertBand: c.prepare('INSERT INTO document_bands (band_key, document_id) VALUES (?, ?)'),
    };
    cache.set(c, s);
  }
  return s;
}

/**
 * Indexes a newly stored document and finds the earlier document of another source it copies:
 * identical text first (by hash), then near-identical (LSH candidates confirmed by exact
 * Jaccard). The link goes to the original of a chain, so copies of copies point at one document.
 */
export function linkDuplicate(c: Database.Database, doc: { id: number; sourceId: number; text: string; contentHash: string }): DuplicateLink | null {
  const s = statements(c);
  const same = s.identical.get(doc.contentHash, doc.sourceId) as [number, number | null] | undefined;
  const set = words(doc.text).length >= MIN_WORDS ? shingles(doc.text) : null;
  const keys = set ? bandKeys(minhash(set)) : null;
  let link: DuplicateLink | null = same ? { of: same[1] ?? same[0], similarity: 1 } : null;
  if (!link && set && keys) {
    let best: DuplicateLink | null = null;
    for (const root of s.candidates.all(...keys, doc.sourceId) as number[]) {
      const sim = jaccard(set, shingles(s.textOf.get(root) as string));
      if (sim >= NEAR_DUPLICATE_JACCARD && (best === null || sim > best.similarity)) best = { of: root, similarity: sim };
    }
    link = best;
  }
  if (keys) for (const k of keys) s.insertBand.run(k, doc.id);
  return link;
}
