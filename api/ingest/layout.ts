import { isBareLine } from './boilerplate.ts';

/** What the layout rules read and set on a passage. */
interface Marked {
  text: string;
  excluded: boolean;
  reason: string | null;
}

/** Ends like a sentence or a lead-in (`.`, `?`, `:` ...), so the line is prose, not a label. */
const TERMINAL = /[.!?…:;"”»)]$/u;
const LIST_MARKER = /^([-*+•–—]\s|\d+[.)]\s|[a-z][.)]\s)/u;
const MARKDOWN_HEADING = /^#{1,6}\s+\S/u;
/** A passage that is one quotation: opens and closes with quote marks. */
const QUOTATION = /^[“"«„‘].*[”"»’][.,!?]?$/su;
/** Longest line (characters) read as part of an attribution under or above a quotation. */
const ATTRIBUTION_MAX = 100;
/** Running text: a paragraph of at least this many words that ends like a sentence. */
const RUNNING_WORDS = 12;

function exclude(p: Marked, reason: string): void {
  p.excluded = true;
  p.reason = reason;
}

const wordCount = (t: string) => t.split(/\s+/u).filter(Boolean).length;
const isRunningText = (p: Marked) => !p.excluded && TERMINAL.test(p.text) && wordCount(p.text) >= RUNNING_WORDS;
/** A short line that does not end as prose does: a name, a title, a place and date. */
const isFragment = (p: Marked) => !p.excluded && p.text.length <= ATTRIBUTION_MAX && !TERMINAL.test(p.text) && !LIST_MARKER.test(p.text);

/**
 * Rules that judge a passage by its place on the page, not its words (so they hold for any
 * outlet, language of layout aside, and any codebook):
 * - a line repeated verbatim (a headline printed twice, a caption block repeated) counts once;
 * - a section heading: a bare line (a few words, no sentence punctuation) once the article's
 *   running text has begun, followed by running text; or a Markdown heading there. The opening
 *   block (headline, standfirst, kicker) is kept: it carries framing;
 * - a pull-quote attribution: short fragments (a name, a role, a place and date) directly above
 *   or below a passage that is one quotation;
 * - short bare lines wedged between excluded passages (a site name above a notice, a menu entry
 *   in the footer) are furniture.
 */
export function markLayout(passages: Marked[]): void {
  const seen = new Set<string>();
  for (const p of passages) {
    if (p.excluded) continue;
    if (seen.has(p.text)) exclude(p, 'duplicate');
    else seen.add(p.text);
  }

  const bodyStart = passages.findIndex(isRunningText);
  if (bodyStart !== -1) {
    for (let i = bodyStart + 1; i < passages.length - 1; i++) {
      const p = passages[i]!;
      if (p.excluded || LIST_MARKER.test(p.text)) continue;
      const heading = MARKDOWN_HEADING.test(p.text) || (isBareLine(p.text) && !TERMINAL.test(p.text));
      if (heading && isRunningText(passages[i + 1]!)) exclude(p, 'heading');
    }
  }

  passages.forEach((q, i) => {
    if (q.excluded || !QUOTATION.test(q.text)) return;
    for (let j = i - 1, n = 0; j >= 0 && n < 3 && isFragment(passages[j]!); j--, n++) exclude(passages[j]!, 'attribution');
    for (let j = i + 1, n = 0; j < passages.length && n < 2 && isFragment(passages[j]!); j++, n++) exclude(passages[j]!, 'attribution');
  });

  for (let i = 1; i < passages.length; i++) {
    const p = passages[i]!;
    if (p.excluded || !isBareLine(p.text)) continue;
    const after = passages[i + 1];
    if (passages[i - 1]!.excluded && (after === undefined || after.excluded)) exclude(p, 'navigation');
  }
}
