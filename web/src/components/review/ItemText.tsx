import { useLayoutEffect, useRef } from 'react';
import type { EvidenceQuote, ItemView } from '../../lib/api/review.ts';

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

type DocumentPassage = ItemView['documentPassages'][number];

/**
 * The whole document around an item: its passages in order, boilerplate (excluded passages)
 * marked with its reason, the current passage highlighted with its evidence; opening it scrolls
 * to the current passage rather than the top.
 */
export function DocumentText({ view, evidence }: { view: ItemView; evidence: EvidenceQuote[] }) {
  const current = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    current.current?.scrollIntoView({ block: 'center' });
  }, []);
  const text = view.documentText;
  const isDocument = view.item.level === 'document';
  const pieces: { key: string; start: number; end: number; passage: DocumentPassage | null }[] = [];
  let at = 0;
  for (const p of view.documentPassages) {
    if (p.start > at) pieces.push({ key: `gap${at}`, start: at, end: p.start, passage: null });
    pieces.push({ key: `p${p.seq}`, start: p.start, end: p.end, passage: p });
    at = Math.max(at, p.end);
  }
  if (at < text.length) pieces.push({ key: `gap${at}`, start: at, end: text.length, passage: null });
  return (
    <div className="review-document" data-testid="review-document" dir="auto">
      {pieces.map(({ key, start, end, passage }) => {
        const isCurrent = !isDocument && passage !== null && passage.itemId === view.item.id;
        if (isCurrent) {
          return (
            <span key={key} ref={current} className="review-current" data-testid="review-document-current">
              <HighlightedText text={text.slice(start, end)} evidence={evidence} />
            </span>
          );
        }
        if (passage?.excluded) {
          return (
            <span key={key} className="review-boilerplate" title={`excluded: ${passage.excludedReason ?? 'boilerplate'}`} data-testid="review-boilerplate">
              <span className="badge">excluded{passage.excludedReason ? `: ${passage.excludedReason}` : ''}</span> {text.slice(start, end)}
            </span>
          );
        }
        return isDocument ? (
          <span key={key}>
            <HighlightedText text={text.slice(start, end)} evidence={evidence} offset={-start} />
          </span>
        ) : (
          <span key={key}>{text.slice(start, end)}</span>
        );
      })}
    </div>
  );
}
