import { useLayoutEffect, useRef } from 'react';

/** The review keyboard map: one list drives both the handlers and the `?` help overlay. */
export const REVIEW_KEYS: { keys: string; what: string }[] = [
  { keys: '1 … 9', what: 'pick a label (codebook order); 0 clears it' },
  { keys: '[  ]', what: 'stance down / up' },
  { keys: 't', what: 'themes: then ↑ ↓ move, Space toggles, t / Esc / Enter leaves' },
  { keys: 'a  or  Enter', what: 'accept the suggestion (with the label, stance or themes you changed: edit and accept)' },
  { keys: 'r', what: 'reject the suggestion (with the label you picked as the right answer, or left open)' },
  { keys: 's', what: 'skip' },
  { keys: 'x', what: 'mark excluded / not excluded' },
  { keys: 'c', what: 'admin: settle a disagreement with the picked label (adjudicate)' },
  { keys: 'u', what: 'undo your last decision (repeat to go further back)' },
  { keys: 'j  or  →', what: 'next item' },
  { keys: 'k  or  ←', what: 'previous item' },
  { keys: 'n', what: 'write a note (Enter saves it to the history)' },
  { keys: 'd', what: 'show / hide the whole document' },
  { keys: 'o', what: 'open the document page' },
  { keys: 'h', what: 'show / hide the history' },
  { keys: 'b', what: 'bulk accept above a confidence threshold in this queue' },
  { keys: 'g', what: 'back to the queue list' },
  { keys: '?', what: 'this help' },
  { keys: 'Esc', what: 'close an overlay' },
];

/** True when the key event belongs to a text field, not to the review shortcuts. */
export function typingInField(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

/**
 * Sends window keydown events to `handler` (the latest one given on each render). The listener is
 * attached in a layout effect, before the screen is painted: with a plain effect, a key pressed
 * the moment a new item appears could fall in the gap and be lost.
 */
export function useWindowKeys(handler: (e: KeyboardEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useLayoutEffect(() => {
    const listener = (e: KeyboardEvent) => latest.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
