import type { EvidenceQuote } from '../../lib/api/review.ts';

/**
 * Text with verified evidence quotes highlighted. Text is rendered as text (never markup);
 * only quotes the tagger verified, with offsets into this text, are highlighted.
 */
export function HighlightedText({ text, evidence, offset = 0 }: { text: string; evidence: EvidenceQuote[]; offset?: number }) {
  const spans = evidence
    .filter((q): q is EvidenceQuote & { start: number; end: number } => q.verified && q.start !== null && q.end !== null)
    .map((q) => ({ start: q.start + offset, end: q.end + offset }))
    .filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end)
    .sort((a, b) => a.start - b.start);
  const parts: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const s of spans) {
    const start = Math.max(s.start, at);
    if (start >= s.end) continue;
    if (start > at) parts.push({ text: text.slice(at, start), mark: false });
    parts.push({ text: text.slice(start, s.end), mark: true });
    at = s.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return (
    <>
      {parts.map((p, n) => (p.mark ? <mark key={n}>{p.text}</mark> : <span key={n}>{p.text}</span>))}
    </>
  );
}
