import { useEffect, useMemo, useState } from 'react';
import type { ItemView } from '../../lib/api/review.ts';

/** What the decision panel holds for an item: the label, stance, themes and note being decided. */
export interface DecisionValues {
  label: string | null;
  stance: number | null;
  themes: string[];
  note: string;
}

/** Where the panel's values started: the coder's own standing decision, the shown suggestion, or nothing. */
export type DraftStart = 'mine' | 'suggestion' | 'empty';

interface StoredDraft extends DecisionValues {
  /** The starting point the draft was edited from: a draft of an older decision is not restored over a newer one. */
  from: string;
}

const storageKey = (actorId: number, itemId: number) => `framescope:draft:${actorId}:${itemId}`;

/** The values a fresh panel shows: the coder's own standing decision, else the visible suggestion (never in blind mode), else nothing. */
function startingPoint(view: ItemView): { values: DecisionValues; start: DraftStart; from: string } {
  if (view.mine) {
    const m = view.mine;
    return { values: { label: m.label, stance: m.stance, themes: [...m.themes].sort(), note: '' }, start: 'mine', from: `review:${m.reviewId}` };
  }
  const s = view.blind ? null : (view.suggestions[0] ?? null);
  if (s) return { values: { label: s.label, stance: s.stance, themes: [...s.themes].sort(), note: '' }, start: 'suggestion', from: `suggestion:${s.id}` };
  return { values: { label: null, stance: null, themes: [], note: '' }, start: 'empty', from: 'none' };
}

const same = (a: DecisionValues, b: DecisionValues) => a.label === b.label && a.stance === b.stance && a.themes.join('|') === b.themes.join('|') && a.note.trim() === b.note.trim();

function readDraft(key: string, from: string): DecisionValues | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const d = JSON.parse(raw) as StoredDraft;
    return d.from === from ? { label: d.label, stance: d.stance, themes: d.themes, note: d.note } : null;
  } catch {
    return null;
  }
}

/**
 * The decision being made on one item. It starts from the coder's own standing decision (so a
 * reopened item shows what they decided, not the model's answer), else the shown suggestion; a
 * half-finished edit is kept in localStorage per reviewer and item until the item is decided, so
 * it survives a reload or a visit to another item.
 */
export function useDecisionDraft(view: ItemView, actorId: number) {
  const key = storageKey(actorId, view.item.id);
  const base = useMemo(() => startingPoint(view), [view]);
  const [values, setValues] = useState<DecisionValues>(() => readDraft(key, base.from) ?? base.values);
  const restored = useMemo(() => readDraft(key, base.from) !== null, [key, base.from]);

  useEffect(() => {
    try {
      if (same(values, base.values)) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify({ ...values, from: base.from } satisfies StoredDraft));
    } catch {
      // Storage full or disabled: the draft lives as long as the page.
    }
  }, [key, values, base]);

  const update = (patch: Partial<DecisionValues>) => setValues((v) => ({ ...v, ...patch }));
  return {
    ...values,
    start: base.start,
    /** The draft came back from storage (an edit left unfinished). */
    restored,
    /** The values differ from the coder's own standing decision (or, before one, from the suggestion). */
    changed: !same({ ...values, note: '' }, { ...base.values, note: '' }),
    /** The values equal the shown suggestion's. */
    matchesSuggestion: (() => {
      const s = view.blind ? null : view.suggestions[0];
      return !!s && s.label === values.label && s.stance === values.stance && [...s.themes].sort().join('|') === values.themes.join('|');
    })(),
    setLabel: (label: string | null) => update({ label }),
    setStance: (f: (v: number | null) => number | null) => setValues((v) => ({ ...v, stance: f(v.stance) })),
    toggleTheme: (theme: string) => setValues((v) => ({ ...v, themes: v.themes.includes(theme) ? v.themes.filter((t) => t !== theme) : [...v.themes, theme].sort() })),
    setNote: (note: string) => update({ note }),
    /** Forgets the draft: the item has been decided. */
    clear: () => {
      try {
        localStorage.removeItem(key);
      } catch {
        // nothing stored
      }
    },
  };
}

export type DecisionDraft = ReturnType<typeof useDecisionDraft>;
