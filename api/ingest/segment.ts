import { boilerplateReason } from './boilerplate.ts';
import { markLayout } from './layout.ts';

/** One passage found by {@link segment}. Offsets are JS string indices: `text === doc.slice(start, end)`. */
export interface SegmentedPassage {
  /** 0-based order in the document. */
  seq: number;
  start: number;
  end: number;
  text: string;
  excluded: boolean;
  /** Why the segmenter judged it not to be article text (`copyright`, `donation`, `caption`, …), else null. */
  reason: string | null;
}

/** Blocks longer than this (characters) are split at sentence boundaries. */
export const MAX_PARAGRAPH_CHARS = 1_500;
/** Sentence-split passages are closed once they reach this many characters. */
export const TARGET_PASSAGE_CHARS = 700;

interface Span {
  start: number;
  end: number;
}

const LEADING_SPACE = /^\s+/u;
const TRAILING_SPACE = /\s+$/u;
const TERMINAL = /[.!?…:;"”»)\]]$/u;
const BLOCK_MARKER = /^(#{1,6}\s|[-*+•]\s|\d+[.)]\s|>)/u;

/** Narrows a span to exclude surrounding whitespace (including no-break spaces); null when only whitespace. */
function trimSpan(doc: string, start: number, end: number): Span | null {
  const piece = doc.slice(start, end);
  const lead = LEADING_SPACE.exec(piece)?.[0].length ?? 0;
  if (lead === piece.length) return null;
  const trail = TRAILING_SPACE.exec(piece)?.[0].length ?? 0;
  return { start: start + lead, end: end - trail };
}

/**
 * Lines of the document grouped into units: a new unit starts at every line, except that a
 * hard-wrapped paragraph (a long line not ending a sentence, continued on the next line) is
 * kept whole. Blank lines always separate units.
 */
function lineUnits(doc: string): Span[] {
  const units: Span[] = [];
  let current: Span | null = null;
  let pos = 0;
  while (pos <= doc.length) {
    let nl = doc.indexOf('\n', pos);
    if (nl === -1) nl = doc.length;
    const line = trimSpan(doc, pos, nl);
    if (!line) {
      current = null;
    } else {
      const text = doc.slice(line.start, line.end);
      const prev = current ? doc.slice(current.start, current.end) : null;
      const continues =
        current !== null &&
        prev !== null &&
        lastLineLength(prev) >= 40 &&
        !TERMINAL.test(prev) &&
        !BLOCK_MARKER.test(text) &&
        boilerplateReason(text) === null &&
        boilerplateReason(lastLine(prev)) === null;
      if (continues && current) {
        current.end = line.end;
      } else {
        current = { ...line };
        units.push(current);
      }
    }
    pos = nl + 1;
  }
  return units;
}

function lastLine(s: string): string {
  return s.slice(s.lastIndexOf('\n') + 1).trim();
}

function lastLineLength(s: string): number {
  return lastLine(s).length;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Splits a long unit at sentence boundaries into spans of about TARGET_PASSAGE_CHARS. */
function splitLong(doc: string, unit: Span): Span[] {
  const body = doc.slice(unit.start, unit.end);
  const out: Span[] = [];
  let chunkStart = 0;
  let chunkEnd = 0;
  for (const s of sentenceSegmenter.segment(body)) {
    const sEnd = s.index + s.segment.length;
    if (chunkEnd > chunkStart && sEnd - chunkStart > TARGET_PASSAGE_CHARS && chunkEnd - chunkStart >= TARGET_PASSAGE_CHARS / 2) {
      out.push({ start: unit.start + chunkStart, end: unit.start + chunkEnd });
      chunkStart = s.index;
    }
    chunkEnd = sEnd;
  }
  if (chunkEnd > chunkStart) out.push({ start: unit.start + chunkStart, end: unit.start + chunkEnd });
  return out.map((sp) => trimSpan(doc, sp.start, sp.end)).filter((sp): sp is Span => sp !== null);
}

/** What the segmenter may know about a document besides its text. */
export interface SegmentContext {
  /** The document's source (outlet) name: a bare line repeating it is a masthead, not content. */
  sourceName?: string | null;
}

/** Case- and punctuation-insensitive form of a short line, for comparing it with a name. */
function normaliseName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Splits a document's text into passages: paragraphs (and separate lines) where the text has
 * them, sentence-bounded chunks of about {@link TARGET_PASSAGE_CHARS} characters inside
 * paragraphs longer than {@link MAX_PARAGRAPH_CHARS}. Passages are trimmed of surrounding
 * whitespace and their offsets slice `text` exactly. Boilerplate (notices, appeals, captions,
 * datelines, bylines; and by their place on the page, repeated lines, section headings,
 * pull-quote attributions, site furniture: see layout.ts) is marked excluded with a reason; it
 * is kept, never dropped. With `context.sourceName`, a line that is
 * just the outlet's name (a masthead) is excluded too.
 */
export function segment(text: string, context: SegmentContext = {}): SegmentedPassage[] {
  const spans: Span[] = [];
  for (const unit of lineUnits(text)) {
    if (unit.end - unit.start > MAX_PARAGRAPH_CHARS) spans.push(...splitLong(text, unit));
    else spans.push(unit);
  }
  const masthead = context.sourceName ? normaliseName(context.sourceName) : null;
  const passages: SegmentedPassage[] = spans.map((sp, seq) => {
    const t = text.slice(sp.start, sp.end);
    // Only a line about as short as the name can be the name (normalising every passage would cost more than segmenting it).
    const isMasthead = masthead !== null && t.length <= 2 * masthead.length + 8 && normaliseName(t) === masthead;
    const reason = isMasthead ? 'masthead' : boilerplateReason(t);
    return { seq, start: sp.start, end: sp.end, text: t, excluded: reason !== null, reason };
  });

  markLayout(passages);
  return passages;
}
