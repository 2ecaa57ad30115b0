import { useState } from 'react';
import { UserText } from './UserText.tsx';

/** A source as a picker lists it. */
export interface PickableSource {
  id: number;
  name: string;
}

/**
 * Sources chosen by name, with a search box: the one picker behind the `sources` parameter of
 * the queue and the export (the dashboard's filter bar sends the same ids). Nothing ticked means
 * every source.
 */
export function SourcePicker({ sources, selected, onChange }: { sources: readonly PickableSource[]; selected: readonly number[]; onChange: (next: number[]) => void }) {
  const [query, setQuery] = useState('');
  const chosen = new Set(selected);
  const needle = query.trim().toLowerCase();
  const matching = sources.filter((s) => s.name.toLowerCase().includes(needle));
  const toggle = (id: number) => onChange(chosen.has(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  const picked = sources.filter((s) => chosen.has(s.id));
  return (
    <details className="source-picker">
      <summary>
        Sources:{' '}
        {picked.length === 0
          ? `all ${sources.length}`
          : picked.map((s, n) => (
              <span key={s.id}>
                {n > 0 && ', '}
                <UserText text={s.name} />
              </span>
            ))}
        {chosen.size > 0 && (
          <button type="button" className="dash-link" onClick={() => onChange([])}>
            clear
          </button>
        )}
      </summary>
      <input placeholder="Find a source" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Find a source" />
      <div className="dash-source-list">
        {matching.map((s) => (
          <label key={s.id}>
            <input type="checkbox" checked={chosen.has(s.id)} onChange={() => toggle(s.id)} /> <UserText text={s.name} />
          </label>
        ))}
        {matching.length === 0 && <span className="muted">no source matches “{query}”</span>}
      </div>
    </details>
  );
}
