import { useEffect, useState } from 'react';
import { listGroupings, type Grouping } from '../../lib/api/corpus.ts';

const TOP_CHOICES = ['10', '25', '50', '100', 'all'] as const;

interface Props {
  /** Rows of their own before the rest are summed as others (a number, or all). */
  top: string | undefined;
  onTop: (top: string) => void;
  groupBy: string | undefined;
  compare: { a: string; b: string } | null;
  onGroupBy: (groupBy: string | undefined) => void;
  onCompare: (compare: { a: string; b: string } | null) => void;
}

/** The group's value as the API names it ('' for sources without one) and as people read it. */
const valueOptions = (g: Grouping) => [...g.values.map((v) => ({ value: v.value, name: `${v.value} (${v.sources})` })), ...(g.unassigned > 0 ? [{ value: '', name: `(no ${g.name}) (${g.unassigned})` }] : [])];

/**
 * Rows per source or per group (country, language, a named grouping), and two groups of that
 * grouping to compare side by side; both travel in the page URL.
 */
export function GroupControls({ top, onTop, groupBy, compare, onGroupBy, onCompare }: Props) {
  const [groupings, setGroupings] = useState<Grouping[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The pair being chosen: compared once both sides name two different groups.
  const [draft, setDraft] = useState<{ a: string | null; b: string | null }>({ a: compare?.a ?? null, b: compare?.b ?? null });
  useEffect(() => {
    listGroupings().then(setGroupings, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => setDraft({ a: compare?.a ?? null, b: compare?.b ?? null }), [compare?.a, compare?.b, groupBy]);
  if (error) return <p className="error">{error}</p>;
  if (!groupings) return null;
  const usable = groupings.filter((g) => g.values.length > 0);
  const current = usable.find((g) => g.name === groupBy);
  const options = current ? valueOptions(current) : [];
  const pick = (side: 'a' | 'b', value: string | null) => {
    const next = { ...draft, [side]: value };
    setDraft(next);
    if (next.a !== null && next.b !== null && next.a !== next.b) onCompare({ a: next.a, b: next.b });
  };
  const NONE = '\u0000'; // the select's "choose…": no group yet ('' is the sources without one)
  return (
    <section className="panel dash-groups" aria-label="Outlet groups">
      <div className="row">
        <label title="The largest by volume get their own row; the rest are summed in one others row">
          Show{' '}
          <select value={top ?? 'all'} onChange={(e) => onTop(e.target.value)} aria-label="Show the largest">
            {TOP_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n === 'all' ? 'all, one row each' : `the ${n} largest + others`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Rows per{' '}
          <select value={groupBy ?? ''} onChange={(e) => onGroupBy(e.target.value || undefined)} aria-label="Rows per">
            <option value="">source</option>
            {usable.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name} ({g.values.length} groups)
              </option>
            ))}
          </select>
        </label>
        {usable.length === 0 && <span className="muted">Give sources a country, language or a grouping (e.g. alignment) on the Corpus page to compare groups of outlets.</span>}
        {current && options.length >= 2 && (
          <>
            <label>
              Compare{' '}
              <select value={draft.a ?? NONE} onChange={(e) => pick('a', e.target.value === NONE ? null : e.target.value)} aria-label="First group">
                <option value={NONE}>choose…</option>
                {options.map((o) => (
                  <option key={`a${o.value}`} value={o.value}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              with{' '}
              <select value={draft.b ?? NONE} onChange={(e) => pick('b', e.target.value === NONE ? null : e.target.value)} aria-label="Second group">
                <option value={NONE}>choose…</option>
                {options.map((o) => (
                  <option key={`b${o.value}`} value={o.value}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
            {draft.a !== null && draft.a === draft.b && <span className="muted">choose two different groups</span>}
            {compare && (
              <button type="button" className="dash-link" onClick={() => onCompare(null)}>
                stop comparing
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}
