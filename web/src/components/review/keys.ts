import { useLayoutEffect, useRef } from 'react';

/**
 * One keyboard shortcut: the `KeyboardEvent.key` values it answers to, how the help writes them,
 * what it does, and the action. A screen's shortcuts are one list of these: it drives both the
 * key handler and the `?` help, so the two cannot disagree.
 */
export interface KeyBinding {
  keys: readonly string[];
  /** As the help shows it, e.g. `a  or  Enter`. */
  hint: string;
  what: string;
  run: (e: KeyboardEvent) => void;
}

/** Runs the binding a key event names; false when no binding takes the key. */
export function runBinding(bindings: readonly KeyBinding[], e: KeyboardEvent): boolean {
  const binding = bindings.find((b) => b.keys.includes(e.key));
  if (!binding) return false;
  binding.run(e);
  return true;
}

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
